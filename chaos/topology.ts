import { join } from "node:path";
import type { RedisTarget } from "@facegate/config";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";
import { redisKeys } from "@facegate/records";
import { primaryOf, promoted } from "../test/support/redis-failover";
import {
  type RedisTopology as Nodes,
  startRedisCluster,
  startRedisSentinel,
} from "../test/support/redis-topologies";

/**
 * Where a chaos run's Redis lives, and how it is disrupted: one node that crashes and comes back,
 * or a Redis Cluster or Sentinel setup whose primary dies and whose replica is promoted.
 */
export interface RedisTopology {
  /** What facegate's processes need to reach it. */
  env: Record<string, string>;
  /** The same, for the harness's own connection. */
  target: RedisTarget;
  /**
   * Redis goes away: `hard` as a crash would, else a clean shutdown. Resolves once Redis serves
   * again (the node restarted after `downMs`, or a replica promoted), with when that was; the
   * lost primary is started again after that, to rejoin as a replica.
   */
  disrupt(hard: boolean, downMs: number): Promise<{ back: number }>;
  stop(): Promise<void>;
}

export type TopologyFactory = (directory: string, prefix: string) => Promise<RedisTopology>;

/** One redis-server, AOF on (fsync every second), `noeviction`: docker-compose's production shape. */
const single: TopologyFactory = async (directory) => {
  const redis: EmbeddedRedis = await startEmbeddedRedis({ directory: join(directory, "redis") });
  return {
    env: { REDIS_URL: redis.url },
    target: { mode: "single", url: redis.url },
    async disrupt(hard, downMs) {
      if (hard) await redis.kill();
      else await redis.stop();
      await new Promise((r) => setTimeout(r, downMs));
      await redis.restart();
      return { back: Date.now() };
    },
    stop: () => redis.stop(),
  };
};

/**
 * A primary of a replicated setup is lost: the one holding the job records' slot (`{<prefix>:jobs}`)
 * on a cluster, the monitored primary under Sentinel. `downMs` does not apply: Redis is back when
 * the replica is promoted, as the cluster or the sentinels decide.
 */
function failingOver(nodes: Nodes, prefix: string): RedisTopology {
  const jobKey = redisKeys(prefix).job("chaos");
  return {
    env: nodes.env,
    target: nodes.target,
    async disrupt(hard) {
      const primary = await primaryOf(nodes, jobKey);
      if (hard) await primary.kill();
      else await primary.stop();
      await promoted(nodes, primary, jobKey);
      const back = Date.now();
      await primary.restart();
      return { back };
    },
    stop: () => nodes.stop(),
  };
}

/** Three primaries, each with a replica to promote. */
const cluster: TopologyFactory = async (_directory, prefix) =>
  failingOver(await startRedisCluster({ replicas: 1 }), prefix);

/** One primary, one replica, three sentinels that agree they can fail over before the run starts. */
const sentinel: TopologyFactory = async (_directory, prefix) =>
  failingOver(await startRedisSentinel({ failover: true }), prefix);

export const TOPOLOGIES: Record<string, TopologyFactory> = { single, cluster, sentinel };

export function topology(name: string): TopologyFactory {
  const factory = TOPOLOGIES[name];
  if (!factory)
    throw new Error(`unknown Redis topology ${name} (known: ${Object.keys(TOPOLOGIES).join(", ")})`);
  return factory;
}
