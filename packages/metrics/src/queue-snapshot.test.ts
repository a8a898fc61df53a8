import { describe, expect, it } from "vitest";
import { Metrics } from "./index";
import { type ObservedQueue, QUEUE_STATES, snapshotQueue } from "./queue-snapshot";

/** A queue's answers, as BullMQ would give them (the edge of this unit). */
function queue(name: string, waiting: number[], prioritized: number[], reads = { count: 0 }): ObservedQueue {
  return {
    name,
    async getJobCounts() {
      reads.count += 1;
      return { waiting: waiting.length, prioritized: prioritized.length, active: 2 };
    },
    async getJobs(types, start = 0, end = -1, asc = false) {
      const list = types[0] === "wait" ? waiting : prioritized;
      const ordered = asc ? list : [...list].reverse();
      return ordered.slice(start, end === -1 ? undefined : end + 1).map((timestamp) => ({ timestamp }));
    },
  };
}

describe("snapshotQueue", () => {
  it("counts every state and finds the oldest waiting job, prioritized ones included", async () => {
    const now = 1_000_000;
    const s = await snapshotQueue(queue("vendor-aigs", [now - 5_000], [now - 2_000, now - 30_000]), now);
    expect(s.queue).toBe("vendor-aigs");
    expect(Object.keys(s.counts)).toEqual([...QUEUE_STATES]);
    expect(s.counts).toMatchObject({ waiting: 1, prioritized: 2, active: 2, failed: 0 });
    expect(s.oldestWaitingSeconds).toBe(30);
  });

  it("says 0 when nothing waits", async () => {
    expect((await snapshotQueue(queue("store", [], []))).oldestWaitingSeconds).toBe(0);
  });
});

describe("the queue gauges", () => {
  it("read Redis once per scrape for both gauges, and again on the next scrape", async () => {
    const metrics = new Metrics({ processMetrics: false });
    const reads = { count: 0 };
    // Enqueued before the scrape, as a job in Redis always is: the scrape takes its clock first.
    const enqueuedAt = Date.now() - 3_000;
    metrics.observeQueues(() => [queue("webhooks", [enqueuedAt], [], reads)]);
    const before = Date.now();
    const first = await metrics.registry.metrics();
    const after = Date.now();
    expect(first).toContain('facegate_queue_jobs{queue="webhooks",state="waiting"} 1');
    const age = Number(
      /facegate_queue_oldest_waiting_seconds\{queue="webhooks"\} ([\d.]+)\n/.exec(first)?.[1],
    );
    expect(age).toBeGreaterThanOrEqual((before - enqueuedAt) / 1000);
    expect(age).toBeLessThanOrEqual((after - enqueuedAt) / 1000);
    expect(reads.count).toBe(1);
    await metrics.registry.metrics();
    expect(reads.count).toBe(2);
  });

  it("leave the queue gauges out, and the rest in, when Redis does not answer", async () => {
    const metrics = new Metrics({ processMetrics: false });
    const broken = queue("store", [], []);
    broken.getJobCounts = () => Promise.reject(new Error("Connection is closed."));
    metrics.observeQueues(() => [broken]);
    metrics.jobsCreated.inc({ operation: "expression", vendor: "ailab" });
    const text = await metrics.registry.metrics();
    expect(text).toContain('facegate_jobs_created_total{operation="expression",vendor="ailab"} 1');
    expect(text).not.toContain('facegate_queue_jobs{queue="store"');
  });
});
