import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { QUEUE_NAMES } from "@facegate/core";
import { redisKeys } from "@facegate/records";
import { syntheticFace } from "@facegate/vendor-sim";
import { type Delivery, type DeliveryAttempt, deliveryIds } from "@facegate/webhooks";
import { Redis } from "ioredis";
import { submitJobs } from "./lib/load";
import { type Child, spawnEntry } from "./lib/processes";
import { type BenchResult, type BenchRow, fmt, percentile } from "./lib/result";
import { type Stack, startStack } from "./lib/stack";

/** Jobs per scenario, and submissions in flight (one at a time already keeps 2 cores busy). */
const JOBS = 1_000;
const SUBMITTING = 1;
const TARGET_P99_MS = 100;
const API_PORT = 18_091;

/** The queues a job worker serves when webhooks have a worker process of their own. */
const JOB_QUEUES = QUEUE_NAMES.filter((q) => q !== "webhooks").join(",");

/** Worker processes to run, one env patch each (`WORKER_QUEUES` picks the queues a process serves). */
const SCENARIOS: { label: string; workers: Record<string, string>[] }[] = [
  { label: "one worker process", workers: [{}] },
  {
    label: "webhooks in their own worker process",
    workers: [{ WORKER_QUEUES: JOB_QUEUES }, { WORKER_QUEUES: "webhooks" }],
  },
];

/**
 * Time from a job's completion (its `finished_at`) to the moment a loopback receiver has the
 * whole signed webhook and answers 2xx, over 1 000 jobs run through the whole system while the
 * next jobs keep coming. Production shape: the API and the workers are their own processes, as
 * are redis-server, the S3 server and the vendor simulator. Two deployments: one worker process
 * for every queue, and a worker process for webhooks beside the one doing vendor work.
 * Baseline: a bare HTTP POST of an event's size to the same receiver, in the same run.
 */
export default async function webhookLatency(): Promise<BenchResult> {
  const started = Date.now();
  const stack = await startStack();
  const receiver = await startLatencyReceiver();
  const rows: BenchRow[] = [];
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
    for (const [i, scenario] of SCENARIOS.entries()) {
      receiver.reset();
      const result = await runScenario(stack, receiver, scenario.workers, `benchwebhooks${i}`, body);
      const pair = (xs: number[]) => `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 99))} ms`;
      const p99 = percentile(result.latencies, 99);
      rows.push(
        { metric: `${scenario.label}: p50`, value: `${fmt(percentile(result.latencies, 50))} ms` },
        {
          metric: `${scenario.label}: p99`,
          value: `${fmt(p99)} ms`,
          target: `≤ ${TARGET_P99_MS} ms`,
          pass: p99 <= TARGET_P99_MS,
        },
        { metric: `${scenario.label}: max`, value: `${fmt(result.latencies.at(-1) ?? Number.NaN)} ms` },
        { metric: `${scenario.label}: finished → event queued, p50 / p99`, value: pair(result.queued) },
        { metric: `${scenario.label}: queued → receiver answered, p50 / p99`, value: pair(result.answered) },
        {
          metric: `${scenario.label}: events received, jobs/s`,
          value: `${result.latencies.length} of ${JOBS} (${receiver.duplicates} duplicates), ${fmt(result.jobsPerS)} jobs/s`,
        },
      );
    }
    rows.push(
      { metric: "baseline: bare HTTP POST to the receiver, p50", value: `${fmt(baseline.p50, 2)} ms` },
      { metric: "baseline: bare HTTP POST to the receiver, p99", value: `${fmt(baseline.p99, 2)} ms` },
    );
    return {
      name: "Webhook latency: job finished → receiver's 2xx",
      description:
        `${JOBS} face-fusion jobs per deployment (AILab simulator, ${SUBMITTING === 1 ? "one submission" : `${SUBMITTING} submissions`} in flight) with a ` +
        "webhook_url to a loopback receiver; latency = the receiver's arrival time − the job's `finished_at` " +
        "carried in the event. API, workers, redis-server, S3 server (s3rver) and simulator each run as their " +
        "own process.",
      rows,
      notes: [
        "`finished_at` has millisecond resolution; both ends read the same machine's clock.",
        "The latency covers the outbox, the hop through the `webhooks` BullMQ queue, rendering the job " +
          "(a fresh presigned output URL), signing, the egress guard and the POST. In the single-process " +
          "deployment the same event loop is also decoding, marking and storing the next jobs' outputs.",
        '"finished → event queued" and "queued → receiver answered" come from facegate\'s own records ' +
          "(the job's `finishedAt`, the delivery's `createdAt`, its first attempt).",
        `Run alone with \`npm run bench -- webhook\` (${Math.round((Date.now() - started) / 1000)} s in this run).`,
      ],
    };
  } finally {
    await receiver.close();
    await stack.stop();
  }
}

async function runScenario(
  stack: Stack,
  receiver: Awaited<ReturnType<typeof startLatencyReceiver>>,
  workerEnvs: Record<string, string>[],
  prefix: string,
  body: string,
) {
  const env = {
    ...stack.env,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "info",
    EGRESS_ALLOWLIST: receiver.hostPort,
  };
  const api = await spawnEntry("apps/api/src/main.ts", { ...env, PORT: String(API_PORT) }, "api listening");
  const workers: Child[] = [];
  try {
    for (const patch of workerEnvs)
      workers.push(await spawnEntry("apps/worker/src/main.ts", { ...env, ...patch }, "worker started"));
    const runStarted = Date.now();
    await submitJobs(`http://127.0.0.1:${API_PORT}`, JOBS, SUBMITTING, () => ({
      headers: { "content-type": "application/json" },
      body,
    }));
    await receiver.waitFor(JOBS, 120_000);
    const jobsPerS = (JOBS / (Date.now() - runStarted)) * 1_000;
    const latencies = receiver.latencies().sort((a, b) => a - b);
    return { latencies, jobsPerS, ...(await breakdown(stack.env.REDIS_URL!, prefix, receiver.jobIds())) };
  } finally {
    for (const worker of workers) await worker.stop();
    await api.stop();
  }
}

/**
 * Where the time went, from the records facegate keeps: the job's `finishedAt`, the delivery's
 * `createdAt` (event queued) and its first attempt (logged once the receiver answered).
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
