import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** Stop the server (SHUTDOWN, so AOF is flushed) and wait for the process to exit. */
  stop(): Promise<void>;
  /** Kill hard (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Start it again on the same port and data directory. */
  restart(): Promise<void>;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      "redis-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install redis-server; " +
        "macOS: brew install redis) or set REDIS_URL to a running Redis.",
    );
    this.name = "RedisServerMissingError";
  }
}

export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * Spawn `redis-server` from PATH on a free port, with AOF on and `noeviction` as production
 * wants (BullMQ must never lose keys to eviction). `directory` holds its data.
 */
export async function startEmbeddedRedis(options: {
  directory: string;
  port?: number;
  /** More `redis-server` arguments, after the defaults (e.g. `--cluster-enabled yes`). */
  args?: string[];
  /** Run as a sentinel with this configuration file (which Sentinel rewrites as it learns). */
  sentinelConfig?: string;
}): Promise<EmbeddedRedis> {
  if (!hasRedisServer()) throw new RedisServerMissingError();
  mkdirSync(options.directory, { recursive: true });
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  const start = async () => {
    // A sentinel takes its configuration file first; a data node gets production's durability.
    const head = options.sentinelConfig ? [options.sentinelConfig, "--sentinel"] : [];
    const data = options.sentinelConfig
      ? []
      : [
          "--appendonly",
          "yes",
          "--appendfsync",
          "everysec",
          "--save",
          "",
          "--maxmemory-policy",
          "noeviction",
        ];
    child = spawn(
      "redis-server",
      [
        ...head,
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        options.directory,
        ...data,
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
        ...(options.args ?? []),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    // Never outlive the process that started it, even when that process crashes.
    const spawned = child;
    const killOnExit = () => spawned.kill("SIGTERM");
    process.once("exit", killOnExit);
    spawned.once("exit", () => process.off("exit", killOnExit));
    await waitForReady(port, child);
  };

  const exited = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
    });

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      child?.kill("SIGTERM"); // redis-server treats SIGTERM as SHUTDOWN (AOF flushed)
      await exited();
    },
    async kill() {
      child?.kill("SIGKILL");
      await exited();
    },
    restart: start,
  };
}

async function waitForReady(port: number, child: ChildProcess): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${stderr.trim()}`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}`);
}

async function ping(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => {
      socket.destroy();
      // While loading the AOF, Redis answers -LOADING; not ready yet.
      resolve(d.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
