import type { Config } from "@facegate/config";
import type { Logger } from "@facegate/logger";
import { Metrics } from "@facegate/metrics";
import { CircuitBreaker, createRedis, Queues, redisReady } from "@facegate/queue";
import {
  Batches,
  Budgets,
  JobRecords,
  Ledger,
  type RedisClient,
  type RedisKeys,
  RetentionIndex,
  redisKeys,
} from "@facegate/records";
import { type ObjectStore, S3Store } from "@facegate/storage";
import { Deliveries, type EmitDeps, TenantSecrets, WebhookEndpoints } from "@facegate/webhooks";
import { InputDeletions } from "./input-deletions";

/**
 * What both the API and the worker need, opened once per process. Everything that touches
 * the outside world sits behind these narrow objects.
 */
export interface Services {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  redis: RedisClient;
  keys: RedisKeys;
  records: JobRecords;
  batches: Batches;
  /** Outputs and deferred S3 deletions, for the retention sweep. */
  retention: RetentionIndex;
  /** Every vendor call, written before it is sent; usage roll-ups and budgets. */
  ledger: Ledger;
  budgets: Budgets;
  queues: Queues;
  store: ObjectStore;
  circuit: CircuitBreaker;
  deliveries: Deliveries;
  endpoints: WebhookEndpoints;
  tenantSecrets: TenantSecrets;
  /** What `emitEvent` needs. */
  webhooks: EmitDeps;
  /** Finished jobs' inputs, deleted from S3 a batch at a time. */
  inputDeletions: InputDeletions;
  /** Resolves once both Redis connections are up (fail-fast connections refuse commands before). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export interface ServicesOptions {
  role: "worker" | "producer";
  /** Shared when the API and the worker run in one process. */
  metrics?: Metrics;
}

export function createServices(config: Config, logger: Logger, options: ServicesOptions): Services {
  // Two connections: facegate's own records (auto-pipelined: a job's many small commands and
  // other jobs' share writes) and BullMQ's queues.
  const redis = createRedis(config.redis, options.role, `facegate-${options.role}`, {
    autoPipelining: true,
  });
  const queueRedis = createRedis(config.redis, options.role, `facegate-${options.role}-queues`);
  for (const connection of [redis, queueRedis]) {
    connection.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  }
  const keys = redisKeys(config.redis.prefix);
  const metrics = options.metrics ?? new Metrics();
  const store = new S3Store({
    ...config.s3,
    onOperation: (operation, ms, ok) => metrics.storageOperation(operation, ms, ok),
  });
  const queues = new Queues(queueRedis, config.redis.prefix, (error, queue) =>
    logger.warn({ err: error, queue }, "queue connection error"),
  );
  const deliveries = new Deliveries(redis, keys);
  const endpoints = new WebhookEndpoints(redis, keys);
  const records = new JobRecords(redis, keys, config.retention.outputMs);
  const retention = new RetentionIndex(redis, keys);
  const inputDeletions = new InputDeletions({ store, records, retention, logger });
  return {
    config,
    logger,
    metrics,
    redis,
    keys,
    records,
    batches: new Batches(redis, keys, config.retention.outputMs),
    retention,
    ledger: new Ledger(redis, keys, { retentionDays: config.usage.retentionDays }),
    budgets: new Budgets(redis, keys),
    queues,
    store,
    circuit: new CircuitBreaker(redis, keys.circuit, config.jobs.circuitFailures, config.jobs.circuitOpenMs),
    deliveries,
    endpoints,
    tenantSecrets: new TenantSecrets(redis, keys),
    webhooks: { deliveries, endpoints, queues, settings: config },
    inputDeletions,
    async ready() {
      await Promise.all([redisReady(redis), redisReady(queueRedis)]);
    },
    async close() {
      await inputDeletions
        .close()
        .catch((error: unknown) => logger.warn({ err: error }, "input deletion left to the outbox flush"));
      await queues.close();
      store.destroy();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}
