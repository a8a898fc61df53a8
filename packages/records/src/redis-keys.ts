/**
 * Names of every Redis key facegate writes besides BullMQ's own, and the Redis Cluster slot
 * each lives in (docs/redis.md). A key that a multi-key script, MULTI or pipeline touches
 * together with others carries its group's hash tag (`{prefix:group}`), so the group shares
 * one slot; a key only ever touched alone carries none and spreads over the cluster by its
 * own name. The layout is the same on one node, so moving to a cluster renames nothing.
 */
export function redisKeys(prefix: string) {
  /** Job and batch records with their indexes and the outbox: the job scripts touch them together. */
  const jobs = `{${prefix}:jobs}`;
  /** Webhook endpoints with their tenant's list, and deliveries with their job's log. */
  const webhooks = `{${prefix}:webhooks}`;
  /** API keys with their tenant's list. */
  const apiKeys = `{${prefix}:apikeys}`;
  return {
    job: (id: string) => `${jobs}:job:${id}`,
    tenantJobs: (tenant: string) => `${jobs}:tenant:${tenant}:jobs`,
    /** Every tenant that has had a job. */
    tenants: `${jobs}:tenants`,
    /** Unfinished jobs scored by last update: what the reconciler looks at. */
    openJobs: `${jobs}:jobs:open`,
    batch: (id: string) => `${jobs}:batch:${id}`,
    batchJobs: (id: string) => `${jobs}:batch:${id}:jobs`,
    /** A `targets` upload's prepared items, until the batch's jobs are created. */
    batchItems: (id: string) => `${jobs}:batch:${id}:items`,
    tenantBatches: (tenant: string) => `${jobs}:tenant:${tenant}:batches`,
    /** Finished jobs and completed batches whose webhook events are not yet enqueued. */
    outbox: `${jobs}:outbox`,
    /** A tenant's unfinished jobs: its fair-share priority and its cap. */
    tenantOpen: (tenant: string) => `${jobs}:tenant:${tenant}:open`,

    /** S3 prefixes whose deletion failed (storage outage), retried by the retention sweep. */
    pendingCleanup: `${prefix}:cleanup`,
    /** Outputs scored by the time retention deletes them. */
    outputs: `${prefix}:outputs`,
    idempotency: (tenant: string, key: string) => `${prefix}:idem:${tenant}:${key}`,
    spill: (jobId: string) => `${prefix}:spill:${jobId}`,
    /** Prefix of the per-API-key request counters (one key per API key id, expiring with its window). */
    apiRateLimit: `${prefix}:ratelimit:`,
    rateSlots: (vendor: string) => `${prefix}:rate:${vendor}`,
    circuit: (vendor: string) => `${prefix}:circuit:${vendor}`,
    webhookSecrets: (tenant: string) => `${prefix}:tenant:${tenant}:whsecret`,

    apiKeys: `${apiKeys}:all`,
    tenantKeys: (tenant: string) => `${apiKeys}:tenant:${tenant}`,

    webhookEndpoints: (tenant: string) => `${webhooks}:tenant:${tenant}:endpoints`,
    webhookEndpoint: (id: string) => `${webhooks}:endpoint:${id}`,
    delivery: (id: string) => `${webhooks}:delivery:${id}`,
    deliveryAttempts: (id: string) => `${webhooks}:delivery:${id}:attempts`,
    jobDeliveries: (jobId: string) => `${webhooks}:job:${jobId}:deliveries`,

    /** Pub/sub channels (channels are not keys: a cluster carries them to every node). */
    finishedChannel: `${prefix}:events:finished`,
    /** Every change of a job record (and hints such as an attempt starting): live event streams. */
    jobChangedChannel: `${prefix}:events:job-changed`,
    cancelChannel: `${prefix}:events:cancel`,
    /** Hashes of revoked API keys, so every API process forgets them at once. */
    apiKeyRevokedChannel: `${prefix}:events:key-revoked`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * BullMQ's key prefix for one queue: the queue's own hash tag, so each queue's keys share a
 * slot (its scripts need that) while different queues spread over the cluster's nodes.
 */
export const queuePrefix = (prefix: string, queue: string) => `{${prefix}:${queue}}`;

/** SCAN patterns matching every key of an installation (its own and its queues'). */
export const keyPatterns = (prefix: string) => [`${prefix}:*`, `{${prefix}:*`];
