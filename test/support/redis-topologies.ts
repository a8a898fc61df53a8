import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RedisTarget } from "@facegate/config";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";
import { Redis } from "ioredis";

/** A real multi-node Redis on free local ports, as facegate's users run it. */
export interface RedisTopology {
  kind: "cluster" | "sentinel";
  /** The variables that name it the documented way (and blank REDIS_URL). */
  env: Record<string, string>;
  target: RedisTarget;
  /** Data nodes: the primaries first, then the replicas. */
  nodes: EmbeddedRedis[];
  sentinels: EmbeddedRedis[];
  stop(): Promise<void>;
}

export const SENTINEL_NAME = "facegate";

/**
 * A Redis Cluster: `primaries` nodes with `--cluster-enabled yes`, joined by
 * `redis-cli --cluster create`, each primary with `replicas` replicas; resolves once every node
 * reports `cluster_state:ok` and every replica is in sync with its primary.
 */
export async function startRedisCluster(options: { primaries?: number; replicas?: number } = {}) {
  const primaries = options.primaries ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "facegate-cluster-"));
  const nodes: EmbeddedRedis[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const count = primaries * (1 + replicas);
    for (let i = 0; i < count; i++) {
      nodes.push(
        await startEmbeddedRedis({
          directory: join(dir, `node-${i}`),
          args: [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "2000",
          ],
        }),
      );
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run("redis-cli", [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      String(replicas),
      "--cluster-yes",
    ]);
    await Promise.all(
      nodes.map((n) => until(n.port, async (r) => (await r.cluster("INFO")).includes("cluster_state:ok"))),
    );
    // A replica is of use for a failover once it holds its primary's data.
    await Promise.all(
      nodes.map((n) =>
        until(n.port, async (r) => {
          const info = await r.info("replication");
          return info.includes("role:master") || info.includes("master_link_status:up");
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const target: RedisTarget = {
    mode: "cluster",
    nodes: nodes.slice(0, primaries).map((n) => ({ host: "127.0.0.1", port: n.port })),
  };
  return {
    kind: "cluster",
    env: { REDIS_URL: "", REDIS_CLUSTER_NODES: target.nodes.map((n) => `${n.host}:${n.port}`).join(",") },
    target,
    nodes,
    sentinels: [],
    stop,
  } satisfies RedisTopology;
}

/**
 * Sentinel: one primary, one replica, three sentinels monitoring the primary with a quorum of two;
 * resolves once the replica is in sync and every sentinel knows it. With `failover`, also once the
 * sentinels have found each other and agree they could fail the primary over (CKQUORUM), which
 * takes them a few seconds more.
 */
export async function startRedisSentinel(options: { failover?: boolean } = {}): Promise<RedisTopology> {
  const dir = mkdtempSync(join(tmpdir(), "facegate-sentinel-"));
  const nodes: EmbeddedRedis[] = [];
  const sentinels: EmbeddedRedis[] = [];
  const stop = async () => {
    await Promise.all(sentinels.map((s) => s.stop()));
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const primary = await startEmbeddedRedis({ directory: join(dir, "primary") });
    nodes.push(primary);
    nodes.push(
      await startEmbeddedRedis({
        directory: join(dir, "replica"),
        args: ["--replicaof", "127.0.0.1", String(primary.port)],
      }),
    );
    await until(nodes[1]!.port, async (r) => (await r.info("replication")).includes("master_link_status:up"));
    for (let i = 0; i < 3; i++) {
      const directory = join(dir, `sentinel-${i}`);
      const config = join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        config,
        [
          `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primary.port} 2`,
          `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
          `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
          "",
        ].join("\n"),
      );
      sentinels.push(await startEmbeddedRedis({ directory, sentinelConfig: config }));
    }
    await Promise.all(
      sentinels.map((s) =>
        until(s.port, async (r) => {
          const replicas = (await r.call("SENTINEL", "REPLICAS", SENTINEL_NAME)) as unknown[];
          if (replicas.length === 0) return false;
          if (!options.failover) return true;
          return (await r.call("SENTINEL", "CKQUORUM", SENTINEL_NAME).catch(() => "")) !== "";
        }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const target: RedisTarget = {
    mode: "sentinel",
    sentinels: sentinels.map((s) => ({ host: "127.0.0.1", port: s.port })),
    name: SENTINEL_NAME,
  };
  return {
    kind: "sentinel",
    env: {
      REDIS_URL: "",
      REDIS_SENTINELS: target.sentinels.map((s) => `${s.host}:${s.port}`).join(","),
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
    },
    target,
    nodes,
    sentinels,
    stop,
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${out}`)),
    );
  });
}

/** Ask one node until `ready` holds: a state Redis reaches on its own, with no event to wait on. */
async function until(port: number, ready: (redis: Redis) => Promise<boolean>, timeoutMs = 20_000) {
  const redis = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  const deadline = Date.now() + timeoutMs;
  try {
    await redis.connect();
    while (!(await ready(redis))) {
      if (Date.now() > deadline) throw new Error(`Redis on port ${port} not ready in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    redis.disconnect();
  }
}
