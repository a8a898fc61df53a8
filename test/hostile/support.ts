import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { form, waitForFinal } from "../support/images";
import type { TestSystem } from "../support/system";

/*
 * What every hostile case checks besides its own status and code: the answer is a clean problem
 * document (no stack, no internal path), the server still answers, nothing a refused request
 * uploaded is left in S3, and — once per file — memory stayed bounded.
 */

/** An answer's JSON, checked field by field. */
export type Json = Record<string, any>;

/** Signs of internals that must never reach a client: stack frames, source paths, error class names. */
const INTERNALS =
  /\bat [\w.<>]+ \(|\/(work|home|usr|app|src)\/|node_modules|\.tsx?:\d+|\b(TypeError|RangeError|SyntaxError|ReferenceError)\b/;

/** A problem document with exactly this status and code; returns its body. */
export async function expectProblem(res: Response, status: number, code: string): Promise<Json> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBe(status);
  expect(res.headers.get("content-type"), text.slice(0, 200)).toMatch(/^application\/problem\+json/);
  expect(res.headers.get("x-request-id")).toMatch(/^[\w.-]{8,128}$/);
  const body = JSON.parse(text) as Json;
  expect(body).toMatchObject({ status, code });
  expect(typeof body.detail).toBe("string");
  expect(text, "internals in the answer").not.toMatch(INTERNALS);
  // A refusal never echoes a huge input back.
  expect(text.length).toBeLessThan(8_192);
  return body;
}

/**
 * Any answer a request may get, whatever it sent: a success, or a clean 4xx problem with a
 * `code` — never a 5xx. Returns the status and the parsed body.
 */
export async function expectHandled(res: Response): Promise<{ status: number; body: Json | undefined }> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBeLessThan(500);
  if (res.status < 400) {
    const json =
      res.headers.get("content-type")?.includes("json") && text ? (JSON.parse(text) as Json) : undefined;
    return { status: res.status, body: json };
  }
  expect(res.headers.get("content-type"), text.slice(0, 200)).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Json;
  expect(body.status).toBe(res.status);
  expect(body.code, text.slice(0, 300)).toMatch(/^[a-z_]+$/);
  expect(text, "internals in the answer").not.toMatch(INTERNALS);
  return { status: res.status, body };
}

/** The server still answers its liveness probe. */
export async function expectStillUp(t: TestSystem): Promise<void> {
  const res = await fetch(`${t.url}/healthz`);
  expect(res.status).toBe(200);
}

/** A normal job, sent as a client would, is accepted and succeeds. */
export async function expectNormalJobSucceeds(
  t: TestSystem,
  target: Buffer,
  template: Buffer,
): Promise<void> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    body: form({ operation: "face_fusion", vendor: "ailab" }, { target, template }),
  });
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(202);
  const { id } = JSON.parse(text) as Json;
  expect((await waitForFinal((p) => t.api(p), id)).status).toBe("succeeded");
  // A normal job leaves nothing behind either: its inputs go with the next batch of deletions.
  await expect.poll(() => t.system.ctx.store.list(`inputs/acme/${id}/`), { timeout: 5_000 }).toEqual([]);
}

/** What every refused request must leave behind: a server that still answers, and nothing stored for `tenant`. */
export async function expectUnharmed(t: TestSystem, tenant = "acme"): Promise<void> {
  await expectStillUp(t);
  await expectNothingStored(t, tenant);
}

/** Nothing stored under a tenant's upload areas (inputs and batch files). */
export async function expectNothingStored(t: TestSystem, tenant = "acme"): Promise<void> {
  for (const area of ["inputs", "batches"]) {
    expect(await t.system.ctx.store.list(`${area}/${tenant}/`), `${area}/${tenant}/`).toEqual([]);
  }
}

/** Every object in the bucket sits where facegate puts things: no `..`, no stray top-level names. */
export async function expectOnlyKnownKeys(t: TestSystem): Promise<void> {
  const keys = await t.system.ctx.store.list("", 10_000);
  const known = /^(inputs|outputs|batches|vendor-results)\/[\w.-]+\/(job|bat)_[0-9a-z]{29}(\/[\w.-]+)+$/;
  expect(keys.filter((k) => !known.test(k) || k.includes(".."))).toEqual([]);
}

/**
 * Peak resident memory of this process (API and worker run in it) while a file's cases run,
 * sampled every 20 ms. A decompression bomb decoded, or a huge body buffered, shows up here.
 */
export function watchMemory() {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  timer.unref();
  return {
    /** Growth of the peak over the baseline, in MB. */
    growthMb(): number {
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round((peak - baseline) / 1024 / 1024);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/**
 * A raw HTTP/1.1 request, for what fetch will not send: a Content-Length that lies, a path fetch
 * would normalise, a body on a GET. Resolves with the answer once it is complete.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    /** Stop writing after this many body bytes (a lying Content-Length). */
    sendOnly?: number;
  },
): Promise<Response> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method: options.method ?? "GET", path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
          req.destroy();
        });
      },
    );
    req.on("error", reject);
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body) req.write(options.sendOnly === undefined ? body : body.subarray(0, options.sendOnly));
    if (options.sendOnly === undefined) req.end();
  });
}

/** A multipart body of text fields and named files, in order (repeat a field for many files). */
export function files(fields: Record<string, string>, parts: [string, Buffer, string][]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [field, bytes, name] of parts) form.append(field, new Blob([new Uint8Array(bytes)]), name);
  return form;
}

export { waitCompleted } from "../support/batches";

export interface ImageServer {
  url: string;
  hostPort: string;
  /** What a path answers: bytes (200), or a redirect to a URL. */
  serve(path: string, answer: Buffer | { redirect: string }): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 serving what a test puts in it (to be allow-listed). */
export async function startImageServer(): Promise<ImageServer> {
  const answers = new Map<string, Buffer | { redirect: string }>();
  const server: Server = createServer((req, res) => {
    const answer = answers.get(req.url ?? "");
    if (!answer) return res.writeHead(404).end();
    if (Buffer.isBuffer(answer)) return res.writeHead(200, { "content-type": "image/jpeg" }).end(answer);
    res.writeHead(302, { location: answer.redirect }).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    serve: (path, answer) => answers.set(path, answer),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
