import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type ObservedQueue, type QueueSnapshot, snapshotQueue } from "./queue-snapshot";
import { type UsageSnapshot, usageGauges } from "./usage-gauges";

export { type ObservedQueue, QUEUE_STATES, type QueueSnapshot, snapshotQueue } from "./queue-snapshot";
export type { BudgetSample, UsageSample, UsageSnapshot } from "./usage-gauges";

/**
 * Every Prometheus metric facegate exports, on one registry per process. The API and the
 * worker record into the same definitions; `npm start` runs both in one process and so
 * serves them together, while separate worker processes serve their own `/metrics`.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly jobsCreated = new Counter({
    name: "facegate_jobs_created_total",
    help: "Jobs accepted, by operation and requested vendor.",
    labelNames: ["operation", "vendor"] as const,
    registers: [this.registry],
  });

  readonly jobsFinished = new Counter({
    name: "facegate_jobs_finished_total",
    help: "Jobs that reached a final status, by operation, vendor, status and error code.",
    labelNames: ["operation", "vendor", "status", "code"] as const,
    registers: [this.registry],
  });

  readonly vendorCalls = new Histogram({
    name: "facegate_vendor_call_seconds",
    help: "Vendor call latency, by vendor, operation and outcome.",
    labelNames: ["vendor", "operation", "outcome"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly rateLimitWaits = new Counter({
    name: "facegate_rate_limit_waits_total",
    help: "Times a vendor call waited for its rate limit: paced (facegate held back) or vendor_said (the vendor refused).",
    labelNames: ["vendor", "reason"] as const,
    registers: [this.registry],
  });

  readonly rateLimitWaitSeconds = new Counter({
    name: "facegate_rate_limit_wait_seconds_total",
    help: "Time spent waiting for vendor rate limits.",
    labelNames: ["vendor", "reason"] as const,
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: "facegate_job_retries_total",
    help: "Vendor calls retried after a transient failure, by vendor and error code.",
    labelNames: ["vendor", "code"] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Histogram({
    name: "facegate_webhook_delivery_seconds",
    help: "Webhook delivery attempts, by outcome, with latency.",
    labelNames: ["outcome"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });

  readonly storageOperations = new Histogram({
    name: "facegate_storage_operation_seconds",
    help: "S3 operation latency, by operation and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  /** Queues read at scrape time (see `observeQueues`); none until a process asks. */
  private observedQueues: () => readonly ObservedQueue[] = () => [];
  /** The snapshot of the scrape under way, and which gauges have read it. */
  private pendingSnapshot: { at: number; result: Promise<QueueSnapshot[]>; readBy: Set<string> } | undefined;

  readonly queueDepth: Gauge<"queue" | "state"> = new Gauge({
    name: "facegate_queue_jobs",
    help: "Jobs in each queue by state, read from Redis at scrape time.",
    labelNames: ["queue", "state"] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueDepth.reset();
      for (const s of await this.queueSnapshots("depth")) {
        for (const [state, count] of Object.entries(s.counts))
          this.queueDepth.set({ queue: s.queue, state }, count);
      }
    },
  });

  readonly queueOldestWaitingSeconds: Gauge<"queue"> = new Gauge({
    name: "facegate_queue_oldest_waiting_seconds",
    help: "Age of the oldest job waiting to run in each queue (0 when none waits), read at scrape time.",
    labelNames: ["queue"] as const,
    registers: [this.registry],
    collect: async () => {
      this.queueOldestWaitingSeconds.reset();
      for (const s of await this.queueSnapshots("oldest")) {
        this.queueOldestWaitingSeconds.set({ queue: s.queue }, s.oldestWaitingSeconds);
      }
    },
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: "facegate_" });
  }

  /**
   * Report the depth and oldest waiting job of these queues at each scrape. Queue state lives in
   * Redis and is the same from every process, so one kind of process (the API) reports it.
   */
  observeQueues(queues: () => readonly ObservedQueue[]): void {
    this.observedQueues = queues;
  }

  private usageObserved = false;

  /** Report the ledger's figures (this month's usage, budget use) at each scrape; once per process. */
  observeUsage(read: () => Promise<UsageSnapshot>): void {
    if (this.usageObserved) return;
    this.usageObserved = true;
    usageGauges(this.registry, read);
  }

  /**
   * One Redis read serves both queue gauges of a scrape: the first gauge to collect reads, the
   * other reuses it; a gauge collecting again starts the next scrape's read.
   */
  private queueSnapshots(gauge: "depth" | "oldest"): Promise<QueueSnapshot[]> {
    const now = Date.now();
    const pending = this.pendingSnapshot;
    if (pending && !pending.readBy.has(gauge) && now - pending.at < 5_000) {
      pending.readBy.add(gauge);
      return pending.result;
    }
    // Redis down: the queue gauges are left out of this scrape; the other metrics still answer.
    const result = Promise.all(this.observedQueues().map((q) => snapshotQueue(q, now))).catch(() => []);
    this.pendingSnapshot = { at: now, result, readBy: new Set([gauge]) };
    return result;
  }

  vendorCall(vendor: string, operation: string, outcome: string, ms: number): void {
    this.vendorCalls.observe({ vendor, operation, outcome }, ms / 1000);
  }

  rateLimitWait(vendor: string, reason: "paced" | "vendor_said", ms: number): void {
    this.rateLimitWaits.inc({ vendor, reason });
    this.rateLimitWaitSeconds.inc({ vendor, reason }, ms / 1000);
  }

  retry(vendor: string, code: string): void {
    this.retries.inc({ vendor, code });
  }

  webhookDelivery(outcome: string, ms: number): void {
    this.webhookDeliveries.observe({ outcome }, ms / 1000);
  }

  storageOperation(operation: string, ms: number, ok: boolean): void {
    this.storageOperations.observe({ operation, outcome: ok ? "ok" : "error" }, ms / 1000);
  }

  jobFinished(operation: string, vendor: string, status: string, code: string): void {
    this.jobsFinished.inc({ operation, vendor, status, code });
  }
}
