import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

export interface RunningServer {
  server: Server;
  url: string;
  /** Stop accepting connections and wait for in-flight requests (bounded). */
  close(): Promise<void>;
}

export async function listen(app: Express, port: number, host = "0.0.0.0"): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  // Bounded uploads (the longest legitimate one: a large batch archive) and slow-loris headers.
  server.requestTimeout = 1_800_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  const address = server.address() as AddressInfo;
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    server,
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
