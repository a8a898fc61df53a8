/**
 * Fixtures for this package's tests: real HTTP servers on loopback and a scripted resolver, so
 * that no test needs the internet or the machine's DNS.
 */
import type { LookupAddress } from "node:dns";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIPv6, type LookupFunction, type Socket } from "node:net";
import { expect } from "vitest";
import { EgressError } from "./errors";

export interface TestServer {
  port: number;
  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT`). */
  origin: string;
  /** `127.0.0.1:PORT`, ready for an allowlist. */
  hostPort: string;
  /** TCP connections accepted so far: proves whether a refused request ever reached the server. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host = "127.0.0.1",
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer(handler);
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  const hostText = isIPv6(host) ? `[${host}]` : host;
  return {
    port: address.port,
    origin: `http://${hostText}:${address.port}`,
    hostPort: `${hostText}:${address.port}`,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An answer per call: a fixed list, or a function of how many times the name was asked (1, 2, …). */
export type ScriptedAnswer = string[] | ((call: number) => string[]);

export interface ScriptedLookup extends LookupFunction {
  /** How many times each name was resolved. */
  calls: Map<string, number>;
}

/**
 * A resolver that answers from a table, like `dns.lookup` (`all` or single answer, ENOTFOUND for
 * unknown names). `never` makes a name hang forever, to exercise timeouts around DNS.
 */
export function scriptedLookup(table: Record<string, ScriptedAnswer | "never">): ScriptedLookup {
  const calls = new Map<string, number>();
  const lookup = ((hostname, options, callback) => {
    const call = (calls.get(hostname) ?? 0) + 1;
    calls.set(hostname, call);
    const entry = table[hostname];
    if (entry === "never") return;
    const answer = typeof entry === "function" ? entry(call) : entry;
    setImmediate(() => {
      if (answer === undefined || answer.length === 0) {
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        err.code = "ENOTFOUND";
        callback(err, "");
        return;
      }
      const addresses: LookupAddress[] = answer.map((address) => ({
        address,
        family: isIPv6(address) ? 6 : 4,
      }));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as ScriptedLookup;
  lookup.calls = calls;
  return lookup;
}

/** The EgressError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function egressError(promise: Promise<unknown>): Promise<EgressError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressError);
  return error as EgressError;
}
