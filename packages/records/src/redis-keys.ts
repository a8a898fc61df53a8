/**
 * Names of every Redis key facegate writes besides BullMQ's own. All share the configured
 * prefix; with a hash-tagged prefix (`{fg}`) they share one Redis Cluster slot, which the
 * multi-key scripts here need.
 */
export function redisKeys(prefix: string) {
  return {
    job: (id: string) => `${prefix}:job:${id}`,
    tenantJobs: (tenant: string) => `${prefix}:tenant:${tenant}:jobs`,
    /** Every tenant that has had a job. */
    tenants: `${prefix}:tenants`,
    /** Unfinished jobs scored by last update: what the reconciler looks at. */
    openJobs: `${prefix}:jobs:open`,
    batch: (id: string) => `${prefix}:batch:${id}`,
    batchJobs: (id: string) => `${prefix}:batch:${id}:jobs`,
    /** A `targets` upload's prepared items, until the batch's jobs are created. */
    batchItems: (id: string) => `${prefix}:batch:${id}:items`,
    tenantBatches: (tenant: string) => `${prefix}:tenant:${tenant}:batches`,
    /** Finished jobs and completed batches whose webhook events are not yet enqueued. */
    outbox: `${prefix}:outbox`,
    /** S3 prefixes whose deletion failed (storage outage), retried by the retention sweep. */
    pendingCleanup: `${prefix}:cleanup`,
    /** Outputs scored by the time retention deletes them. */
    outputs: `${prefix}:outputs`,
    idempotency: (tenant: string, key: string) => `${prefix}:idem:${tenant}:${key}`,
    apiKeys: `${prefix}:apikeys`,
    tenantKeys: (tenant: string) => `${prefix}:tenant:${tenant}:keys`,
    /** Prefix of the per-API-key request counters (one key per API key id, expiring with its window). */
    apiRateLimit: `${prefix}:ratelimit:`,
    /** A tenant's unfinished jobs: its fair-share priority and its cap. */
    tenantOpen: (tenant: string) => `${prefix}:tenant:${tenant}:open`,
    webhookSecrets: (tenant: string) => `${prefix}:tenant:${tenant}:whsecret`,
    webhookEndpoints: (tenant: string) => `${prefix}:tenant:${tenant}:endpoints`,
    webhookEndpoint: (id: string) => `${prefix}:endpoint:${id}`,
    delivery: (id: string) => `${prefix}:delivery:${id}`,
    deliveryAttempts: (id: string) => `${prefix}:delivery:${id}:attempts`,
    jobDeliveries: (jobId: string) => `${prefix}:job:${jobId}:deliveries`,
    rateSlots: (vendor: string) => `${prefix}:rate:${vendor}`,
    circuit: (vendor: string) => `${prefix}:circuit:${vendor}`,
    spill: (jobId: string) => `${prefix}:spill:${jobId}`,
    /** Pub/sub channels. */
    finishedChannel: `${prefix}:events:finished`,
    /** Every change of a job record (and hints such as an attempt starting): live event streams. */
    jobChangedChannel: `${prefix}:events:job-changed`,
    cancelChannel: `${prefix}:events:cancel`,
    /** Hashes of revoked API keys, so every API process forgets them at once. */
    apiKeyRevokedChannel: `${prefix}:events:key-revoked`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
