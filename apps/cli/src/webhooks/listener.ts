import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describeEvent } from "./describe";
import { verifyRequest } from "./verify";

export interface ListenerOptions {
  /** 0 picks a free port. @defaultValue 8787 (allow-listed by `npm start`) */
  port?: number;
  /** @defaultValue "127.0.0.1": a laptop tool, not a public service */
  host?: string;
  /** Secrets to verify with (`whsec_…`); a request verified by any of them is accepted. */
  secrets: string[];
  /** Forward verified requests here, headers and body unchanged, and answer with its answer. */
  forwardTo?: string | undefined;
  /** Where the one-line-per-event output goes. @defaultValue stdout */
  print?: (line: string) => void;
  /** How long the forward target may take, in milliseconds. @defaultValue 10_000 */
  forwardTimeoutMs?: number;
}

export interface RunningListener {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Events are small (images are links); anything bigger is not from facegate. */
const MAX_BODY_BYTES = 1024 * 1024;
/** What a forward carries over: the signature must still verify at the target. */
const FORWARDED_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type"];

/**
 * `facegate webhooks listen`: a local receiver that verifies each request's Standard Webhooks
 * signature, prints one line per event and optionally forwards verified ones to the app being
 * developed. Unverified requests are answered 401 (and not forwarded), as a real receiver should.
 */
export async function startWebhookListener(options: ListenerOptions): Promise<RunningListener> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      print(`  ! ${(error as Error).message}`);
      if (!res.headersSent) reply(res, 500, { error: "listener error" });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      reply(res, 413, { error: `bodies over ${MAX_BODY_BYTES} bytes are not webhooks from facegate` });
      return;
    }
    const headers = flatten(req);
    const verdict = verifyRequest(options.secrets, body, headers);
    print(
      describeEvent({
        at: new Date(),
        webhookId: headers["webhook-id"],
        body: verdict.ok ? verdict.payload : parseOrUndefined(body),
        verified: verdict.ok,
        reason: verdict.ok ? undefined : verdict.reason,
      }),
    );
    if (!verdict.ok) {
      reply(res, 401, { error: "signature not verified", reason: verdict.reason });
      return;
    }
    if (!options.forwardTo) {
      reply(res, 200, { ok: true });
      return;
    }
    await forward(options.forwardTo, headers, body, res);
  }

  /** Pass the request on; facegate then sees the app's answer (and retries when the app fails). */
  async function forward(to: string, headers: Record<string, string>, body: string, res: ServerResponse) {
    const started = performance.now();
    const pass: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) if (headers[name] !== undefined) pass[name] = headers[name];
    try {
      const answer = await fetch(to, {
        method: "POST",
        headers: pass,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(options.forwardTimeoutMs ?? 10_000),
      });
      const text = await answer.text();
      print(`  → ${to} answered ${answer.status} in ${Math.round(performance.now() - started)} ms`);
      res
        .writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" })
        .end(text.slice(0, 64 * 1024));
    } catch (error) {
      const reason = (error as Error).cause instanceof Error ? (error as Error).cause : error;
      print(`  → ${to} failed: ${(reason as Error).message}`);
      reply(res, 502, { error: "forward failed", reason: (reason as Error).message });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8787, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function flatten(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
