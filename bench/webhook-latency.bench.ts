import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { redisKeys } from "@facegate/records";
import { syntheticFace } from "@facegate/vendor-sim";
import { type Delivery, type DeliveryAttempt, deliveryIds } from "@facegate/webhooks";
import { Redis } from "ioredis";
import { submitJobs } from "./lib/load";
import { spawnTs } from "./lib/processes";
import { type BenchResult, fmt, percentile } from "./lib/result";
import { startStack } from "./lib/stack";

/** Jobs run, and how many submissions are in flight at any time (a busy system, below saturation). */
const JOBS = 1_000;
const SUBMITTING = 2;
const TARGET_P99_MS = 100;
const API_PORT = 18_091;

/**
 * Time from a job's completion (its `finished_at`) to the moment a loopback receiver has the
 * whole signed webhook and answers 2xx, over 1 000 jobs run through the whole system while the
 * next jobs keep coming. Production shape: the API and the worker are their own processes, as are
 * redis-server, the S3 server and the vendor simulator. Baseline: a bare HTTP POST of an event's
 * size to the same receiver, in the same run.
 */
export default async function webhookLatency(): Promise<BenchResult> {
  const started = Date.now();
  const stack = await startStack();
  const receiver = await startLatencyReceiver();
  const env = {
    ...stack.env,
    REDIS_PREFIX: "benchwebhooks",
    LOG_LEVEL: "info",
    API_RATE_LIMIT_PER_MINUTE: "1000000",
    EGRESS_ALLOWLIST: receiver.hostPort,
  };
  const api = await spawnTs("apps/api/src/main.ts", { ...env, PORT: String(API_PORT) }, "api listening");
  const worker = await spawnTs("apps/worker/src/main.ts", env, "worker started");
  try {
    const baseline = await barePosts(receiver.url, 1_000);

    const face = async (hue: number) =>
      (await syntheticFace({ hue, width: 320, height: 400, format: "jpeg" })).toString("base64");
    const body = JSON.stringify({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: { base64: await face(30) }, template: { base64: await face(210) } },
      webhook_url: receiver.url,
    });
    const runStarted = Date.now();
    await submitJobs(`http://127.0.0.1:${API_PORT}`, JOBS, SUBMITTING, () => ({
      headers: { "content-type": "application/json" },
      body,
    }));
    await receiver.waitFor(JOBS, 120_000);
    const runMs = Date.now() - runStarted;

    const latencies = receiver.latencies().sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    const parts = await breakdown(stack.env.REDIS_URL!, env.REDIS_PREFIX, receiver.jobIds());
    const pair = (xs: number[]) => `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 99))} ms`;
    return {
      name: "Webhook latency: job finished → receiver's 2xx",
      description:
        `${JOBS} face-fusion jobs (AILab simulator, ${SUBMITTING} submissions in flight) with a webhook_url to a ` +
        "loopback receiver; latency = the receiver's arrival time − the job's `finished_at` carried in the " +
        "event. API, worker, redis-server, S3 server (s3rver) and simulator each run as their own process.",
      rows: [
        { metric: "p50", value: `${fmt(percentile(latencies, 50))} ms` },
        {
          metric: "p99",
          value: `${fmt(p99)} ms`,
          target: `≤ ${TARGET_P99_MS} ms`,
          pass: p99 <= TARGET_P99_MS,
        },
        { metric: "max", value: `${fmt(latencies.at(-1) ?? Number.NaN)} ms` },
        {
          metric: "events received",
          value: `${latencies.length} of ${JOBS} (${receiver.duplicates} duplicates)`,
        },
        { metric: "of which: finished → event queued, p50 / p99", value: pair(parts.queued) },
        { metric: "of which: queued → receiver answered, p50 / p99", value: pair(parts.answered) },
        { metric: "jobs per second while measuring", value: fmt((JOBS / runMs) * 1_000) },
        { metric: "baseline: bare HTTP POST to the receiver, p50", value: `${fmt(baseline.p50, 2)} ms` },
        { metric: "baseline: bare HTTP POST to the receiver, p99", value: `${fmt(baseline.p99, 2)} ms` },
      ],
      notes: [
        "`finished_at` has millisecond resolution; both ends read the same machine's clock.",
        "The latency covers the outbox, the hop through the `webhooks` BullMQ queue, rendering the job " +
          "(a fresh presigned output URL), signing, the egress guard and the POST, while the worker is busy " +
          "with the next jobs.",
        `Run alone with \`npm run bench -- webhook\` (${Math.round((Date.now() - started) / 1000)} s in this run).`,
      ],
    };
  } finally {
    await worker.stop();
    await api.stop();
    await receiver.close();
    await stack.stop();
  }
}

/**
 * Where the time went, from the records facegate keeps: the job's `finishedAt`, the delivery's
 * `createdAt` (event queued) and its first attempt (answer received, minus its latency = sent).
 */
async function breakdown(redisUrl: string, prefix: string, jobIds: string[]) {
  const redis = new Redis(redisUrl);
  const keys = redisKeys(prefix);
  const queued: number[] = [];
  const answered: number[] = [];
  try {
    for (const jobId of jobIds) {
      const doc = await redis.hget(keys.job(jobId), "doc");
      const finishedAt = doc ? (JSON.parse(doc) as { finishedAt?: number }).finishedAt : undefined;
      const { id } = deliveryIds(
        { type: "job.succeeded", tenant: "bench", jobId, at: 0 },
        { kind: "job_url", url: "" },
      );
      const delivery = await redis.get(keys.delivery(id));
      const [first] = await redis.lrange(keys.deliveryAttempts(id), 0, 0);
      if (!finishedAt || !delivery || !first) continue;
      const createdAt = (JSON.parse(delivery) as Delivery).createdAt;
      queued.push(createdAt - finishedAt);
      answered.push((JSON.parse(first) as DeliveryAttempt).at - createdAt);
    }
  } finally {
    redis.disconnect();
  }
  return { queued: queued.sort((a, b) => a - b), answered: answered.sort((a, b) => a - b) };
}

/** A receiver that notes when each event arrived, against the job's `finished_at`. */
async function startLatencyReceiver() {
  const latencyByJob = new Map<string, number>();
  let duplicates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const arrived = Date.now();
      res.writeHead(204).end();
      const event = safeParse(Buffer.concat(chunks).toString());
      const id = event?.data?.id;
      if (!id || !event?.data?.finished_at) return;
      if (latencyByJob.has(id)) duplicates++;
      else latencyByJob.set(id, arrived - Date.parse(event.data.finished_at));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hostPort: `127.0.0.1:${port}`,
    get duplicates() {
      return duplicates;
    },
    latencies: () => [...latencyByJob.values()],
    jobIds: () => [...latencyByJob.keys()],
    reset() {
      latencyByJob.clear();
      duplicates = 0;
    },
    async waitFor(count: number, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (latencyByJob.size < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${latencyByJob.size} of ${count} events`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sequential POSTs of an event-sized body: what loopback HTTP alone costs on this machine. */
async function barePosts(url: string, count: number) {
  const body = JSON.stringify({
    type: "job.succeeded",
    timestamp: new Date().toISOString(),
    data: "x".repeat(1_500),
  });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    await res.arrayBuffer();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

function safeParse(text: string): { data?: { id?: string; finished_at?: string } } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
