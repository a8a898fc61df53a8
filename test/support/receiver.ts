import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the whole request had arrived. */
  at: number;
  path: string;
}

/**
 * How the receiver answers one request: a status (with optional headers and body), `hang` (never
 * answer), or `reset` (drop the connection: a transport error for the sender).
 */
export type Answer =
  | number
  | "hang"
  | "reset"
  | { status: number; headers?: Record<string, string>; body?: string };

export interface Receiver {
  url: string;
  hostPort: string;
  port: number;
  received: ReceivedHook[];
  /** Requests left hanging right now. */
  readonly hanging: number;
  /** Answer with this from now on (after any scripted answers). */
  respond(status: number | "hang" | "reset", headers?: Record<string, string>): void;
  /** Answer the next requests with these, in order, then go back to the default. */
  script(answers: Answer[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  /** Requests whose JSON body's `data.id` is this job (or batch) id. */
  about(id: string): ReceivedHook[];
  /** Wait until `count` requests are about this id; returns them. */
  waitAbout(id: string, count?: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
}

/** A real HTTP webhook receiver on 127.0.0.1 that records what it gets. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedHook[] = [];
  let fallback: Answer = 200;
  let queue: Answer[] = [];
  const hangingResponses = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
        path: req.url ?? "/",
      });
      const answer = queue.shift() ?? fallback;
      if (answer === "hang") {
        hangingResponses.add(res);
        res.on("close", () => hangingResponses.delete(res));
        return;
      }
      if (answer === "reset") {
        req.socket.destroy();
        return;
      }
      const { status, headers = {}, body = "ok" } = typeof answer === "number" ? { status: answer } : answer;
      res.writeHead(status, headers).end(body);
    });
  });
  const about = (id: string) =>
    received.filter((hook) => {
      try {
        return (JSON.parse(hook.body) as { data?: { id?: string } }).data?.id === id;
      } catch {
        return false;
      }
    });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hostPort: `127.0.0.1:${port}`,
    port,
    received,
    get hanging() {
      return hangingResponses.size;
    },
    respond(next, headers = {}) {
      fallback = typeof next === "number" ? { status: next, headers } : next;
    },
    script(answers) {
      queue = [...answers];
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${count} webhooks`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return received;
    },
    about,
    async waitAbout(id, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (about(id).length < count) {
        if (Date.now() > deadline)
          throw new Error(`receiver got ${about(id).length} of ${count} webhooks about ${id}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return about(id);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
