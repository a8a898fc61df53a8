import { join } from "node:path";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";

/**
 * Where a chaos run's Redis lives, and how it is disrupted. One node with AOF is here; a Redis
 * Cluster or Sentinel topology is another entry in TOPOLOGIES giving the env facegate needs
 * (REDIS_CLUSTER_NODES, REDIS_SENTINELS…) and its own idea of "Redis goes away" (a primary
 * killed, a failover).
 */
export interface RedisTopology {
  /** What facegate's processes (and the harness) need to reach it. */
  env: Record<string, string>;
  /** Redis goes away and comes back: `hard` as a crash would, else a clean shutdown. */
  disrupt(hard: boolean, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export type TopologyFactory = (directory: string) => Promise<RedisTopology>;

/** One redis-server, AOF on (fsync every second), `noeviction`: docker-compose's production shape. */
const single: TopologyFactory = async (directory) => {
  const redis: EmbeddedRedis = await startEmbeddedRedis({ directory: join(directory, "redis") });
  return {
    env: { REDIS_URL: redis.url },
    async disrupt(hard, downMs) {
      if (hard) await redis.kill();
      else await redis.stop();
      await new Promise((r) => setTimeout(r, downMs));
      await redis.restart();
    },
    stop: () => redis.stop(),
  };
};

export const TOPOLOGIES: Record<string, TopologyFactory> = { single };

export function topology(name: string): TopologyFactory {
  const factory = TOPOLOGIES[name];
  if (!factory)
    throw new Error(`unknown Redis topology ${name} (known: ${Object.keys(TOPOLOGIES).join(", ")})`);
  return factory;
}
