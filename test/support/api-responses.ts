import type { IncomingHttpHeaders } from "node:http";
import { type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { bodyIsChecked, conformanceFindings, type SeenResponse } from "./conformance";

/**
 * Every answer a test receives from a facegate API is checked against the OpenAPI document
 * (`conformance.ts`). The hook is fetch's global dispatcher: `fetch`, the typed client
 * (`@facegate/client`) and generated clients all go through it, and it sees each hop, the
 * redirects included. Only origins registered with `watchApi` are checked (the simulator, S3 and
 * webhook receivers are other servers). Raw sockets (`test/hostile`'s deliberately broken HTTP) and
 * child processes (the CLI) are not seen; the CLI uses the same typed client.
 */

/** JSON bodies larger than this are not buffered for checking (no API answer comes close). */
const MAX_CHECKED_BODY = 8 * 1024 * 1024;

interface State {
  origins: Set<string>;
  findings: string[];
}

// On globalThis: the dispatcher outlives the module registry vitest resets between files.
const KEY = Symbol.for("facegate.test.api-responses");
const shared = globalThis as Record<symbol, State | undefined>;
shared[KEY] ??= { origins: new Set(), findings: [] };
const state = shared[KEY];

/** Check every answer from this API (its base URL) from now on. */
export function watchApi(url: string): void {
  state.origins.add(new URL(url).origin);
}

/** The findings since the last call, emptied. */
export function takeFindings(): string[] {
  return state.findings.splice(0);
}

/** Passes everything on to the client's handler, noting the answer on the way. */
class Recorder implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] | undefined;
  private bytes = 0;

  constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly method: string,
    private readonly path: string,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown) {
    return this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: import("node:stream").Duplex,
  ) {
    return this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ) {
    this.status = statusCode;
    this.headers = headers;
    this.chunks = bodyIsChecked(headers["content-type"]) ? [] : undefined;
    return this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer) {
    this.bytes += chunk.length;
    if (this.chunks && this.bytes <= MAX_CHECKED_BODY) this.chunks.push(chunk);
    return this.handler.onResponseData?.(controller, chunk);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error) {
    return this.handler.onResponseError?.(controller, error);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders) {
    this.check();
    return this.handler.onResponseEnd?.(controller, trailers);
  }

  private check() {
    // 1xx interim answers are not answers.
    if (this.status < 200) return;
    const seen: SeenResponse = {
      method: this.method,
      path: this.path,
      status: this.status,
      headers: this.headers,
      body: this.chunks && this.bytes <= MAX_CHECKED_BODY ? Buffer.concat(this.chunks) : undefined,
      bodyBytes: this.bytes,
    };
    try {
      state.findings.push(...conformanceFindings(seen));
    } catch (error) {
      state.findings.push(`${this.method} ${this.path}: could not be checked: ${(error as Error).stack}`);
    }
  }
}

/** Install the checking dispatcher once per process. */
export function installApiResponseChecks(): void {
  const marker = Symbol.for("facegate.test.api-responses.installed");
  const global = globalThis as Record<symbol, unknown>;
  if (global[marker]) return;
  global[marker] = true;
  setGlobalDispatcher(
    getGlobalDispatcher().compose((dispatch) => (options, handler) => {
      const origin = options.origin ? new URL(String(options.origin)).origin : "";
      if (!state.origins.has(origin)) return dispatch(options, handler);
      return dispatch(options, new Recorder(handler, options.method, options.path));
    }),
  );
}
