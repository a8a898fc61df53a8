import type { Cluster, Redis } from "ioredis";

/**
 * A connection to facegate's Redis, whatever its shape: one node, a primary that Sentinel
 * manages (both `Redis`), or a Redis Cluster (`Cluster`). Code that only sends commands takes
 * this, so it runs unchanged on all three (docs/redis.md).
 */
export type RedisClient = Redis | Cluster;
