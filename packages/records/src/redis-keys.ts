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
  /**
   * A tenant's usage keys share one hash tag: the ledger's scripts touch several of them at once
   * (entry, roll-up, budget), which on a Redis Cluster must sit in one slot.
   */
  const usage = (tenant: string) => `{${prefix}:usage:${tenant}}`;
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
    /** An Idempotency-Key's claim: the job's creation records its id there in the same step. */
    idempotency: (tenant: string, key: string) => `${jobs}:idem:${tenant}:${key}`,

    /** S3 prefixes whose deletion failed (storage outage), retried by the retention sweep. */
    pendingCleanup: `${prefix}:cleanup`,
    /** Outputs scored by the time retention deletes them. */
    outputs: `${prefix}:outputs`,
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

    /** The ledger: raw entries (id → JSON) and their index by start time. */
    ledgerEntries: (tenant: string) => `${usage(tenant)}:entries`,
    ledgerIndex: (tenant: string) => `${usage(tenant)}:index`,
    /** Ids of calls sent (or about to be) whose outcome is not recorded yet. */
    ledgerPending: (tenant: string) => `${usage(tenant)}:pending`,
    /** Per job: its call in progress, and the vendor's answer until the job's record holds it. */
    ledgerOpen: (tenant: string) => `${usage(tenant)}:open`,
    /** Per entry: the budget period its call was reserved in, until released or kept. */
    ledgerReserved: (tenant: string) => `${usage(tenant)}:reserved`,
    /** A vendor's image answer, kept the moment it arrives, until the job's output is stored. */
    vendorAnswer: (tenant: string, jobId: string) => `${usage(tenant)}:answer:${jobId}`,
    /** Roll-up of a tenant's calls on one UTC day (`YYYY-MM-DD`). */
    usageDay: (tenant: string, day: string) => `${usage(tenant)}:day:${day}`,
    budget: (tenant: string) => `${usage(tenant)}:budget`,
    /** Calls and spend counted against a budget in one period (`YYYY-MM-DD` or `YYYY-MM`). */
    budgetUse: (tenant: string, period: string) => `${usage(tenant)}:budget:${period}`,
    /** Every tenant with ledger entries or a budget. */
    usageTenants: `${prefix}:usage:tenants`,

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
