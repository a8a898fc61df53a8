import type { EmbeddedRedis } from "@facegate/queue";
import { Redis } from "ioredis";
import { type RedisTopology, SENTINEL_NAME } from "./redis-topologies";
import { until } from "./until";

/*
 * Losing a primary of a real Cluster or Sentinel setup (from redis-topologies.ts) and waiting for
 * its replica to take over: shared by the failover test and the chaos harness's Redis modes.
 */

/** Ask a node (by port) a question; undefined when it does not answer. */
export async function ask<T>(port: number, question: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return await question(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** The cluster primary (by port) that holds `key`'s slot, from any of `ports` that answers. */
export async function ownerOf(ports: number[], key: string): Promise<number> {
  for (const port of ports) {
    const owner = await ask(port, async (r) => {
      const slot = Number(await r.call("CLUSTER", "KEYSLOT", key));
      const ranges = (await r.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
      return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
    });
    if (owner !== undefined) return owner;
  }
  throw new Error("no node answered");
}

/** The Sentinel-managed primary's port, as the first sentinel that answers names it. */
async function sentinelPrimary(topology: RedisTopology): Promise<number | undefined> {
  for (const s of topology.sentinels) {
    const addr = (await ask(s.port, (r) => r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", SENTINEL_NAME))) as
      | string[]
      | undefined;
    if (addr) return Number(addr[1]);
  }
  return undefined;
}

/** The primary that holds `key` now: its slot's owner on a cluster, the monitored primary under Sentinel. */
export async function primaryOf(topology: RedisTopology, key: string): Promise<EmbeddedRedis> {
  const port =
    topology.kind === "cluster"
      ? await ownerOf(
          topology.nodes.map((n) => n.port),
          key,
        )
      : await sentinelPrimary(topology);
  const node = topology.nodes.find((n) => n.port === port);
  if (!node) throw new Error(`no data node on port ${port}`);
  return node;
}

/**
 * Resolve once a replica serves `key` in place of `lost`: the sentinels name another primary, or
 * the cluster has handed the lost primary's slots to its replica.
 */
export async function promoted(
  topology: RedisTopology,
  lost: EmbeddedRedis,
  key: string,
  timeoutMs = 60_000,
): Promise<void> {
  const alive = topology.nodes.filter((n) => n !== lost).map((n) => n.port);
  await until(
    async () => {
      const port =
        topology.kind === "cluster"
          ? await ownerOf(alive, key).catch(() => undefined)
          : await sentinelPrimary(topology);
      return port !== undefined && port !== lost.port;
    },
    timeoutMs,
    `a replica promoted in place of port ${lost.port}`,
    50,
  );
}
