import { loadConfig } from "@facegate/config";
import { VendorError } from "@facegate/core";
import { freePort } from "@facegate/queue";
import { syntheticFace } from "@facegate/vendor-sim";
import { closeAdapters, createAdapters, type VendorImage } from "@facegate/vendors";
import { Queue, Worker } from "bullmq";
import { submitJobs } from "./lib/load";
import { spawnEntry } from "./lib/processes";
import { type BenchResult, type BenchRow, fmt } from "./lib/result";
import { configureSim, type SimCallSummary, type Stack, simCalls, startStack } from "./lib/stack";

const LATENCY_MS = 300;
/** The targets are met this long after the start, or after the limit changed. */
const SETTLE_S = 20;

interface Scenario {
  label: string;
  vendor: "ailab" | "aigs" | "tencent";
  /** The simulator's limit per credential (calls in any rolling second), and how many credentials. */
  limit: number;
  credentials: number;
  /** A limit the simulator switches to mid-run, after `changeAfterS`. */
  change?: { limit: number; afterS: number };
  /** How long the run lasts. */
  seconds: number;
  /** What a user guesses the limit is: facegate's first guess, and the baseline's limiter. */
  guess: { env: Record<string, string>; perSecond: number };
}

const SCENARIOS: Scenario[] = [
  {
    label: "AILab, 6/s rolling (no rate configured)",
    vendor: "ailab",
    limit: 6,
    credentials: 1,
    seconds: 60,
    guess: { env: {}, perSecond: 10 },
  },
  {
    label: "ai-gs, 1/s per token × 3 (guess 2/s per token)",
    vendor: "aigs",
    limit: 1,
    credentials: 3,
    seconds: 60,
    guess: { env: { AIGS_RPS_PER_TOKEN: "2" }, perSecond: 6 },
  },
  {
    label: "Tencent, 20/s (guess 10/s)",
    vendor: "tencent",
    limit: 20,
    credentials: 1,
    seconds: 60,
    guess: { env: { TENCENT_RPS: "10" }, perSecond: 10 },
  },
  {
    label: "AILab, 10/s falling to 4/s after 30 s (no rate configured)",
    vendor: "ailab",
    limit: 10,
    credentials: 1,
    change: { limit: 4, afterS: 30 },
    seconds: 70,
    guess: { env: {}, perSecond: 10 },
  },
];

/**
 * Adaptive pacing: each scenario's limit is set in the simulator and not told to facegate, which
 * must learn it from the vendor's refusals. Beside it, in the same run against the same simulator,
 * the baseline a user would write: a BullMQ worker with BullMQ's own limiter set from a guess,
 * calling the same vendor client, pausing a second on each refusal as BullMQ's docs show.
 */
export default async function adaptivePacing(): Promise<BenchResult> {
  const stack = await startStack();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const images = await testImages();
  try {
    for (const s of SCENARIOS) {
      const ours = await measure(stack, s, (go) => runFacegate(stack, s, images, go));
      const baseline = await measure(stack, s, (go) => runBaseline(stack, s, images, go));
      rows.push(
        {
          metric: `${s.label}: limit used after ${SETTLE_S} s — facegate (BullMQ limiter)`,
          value: `${fmt(ours.use, 3)} (${fmt(baseline.use, 3)})`,
          target: "≥ 0.9",
          pass: ours.use >= 0.9,
        },
        {
          metric: `${s.label}: calls refused — facegate (BullMQ limiter)`,
          value: `${fmt(ours.refusedShare * 100, 2)} % of ${ours.calls} (${fmt(baseline.refusedShare * 100, 2)} % of ${baseline.calls})`,
          target: "≤ 2 %",
          pass: ours.refusedShare <= 0.02,
        },
      );
      notes.push(
        `${s.label}: facegate reached 0.9 of the limit ${ours.settledAfter}; the BullMQ limiter ${baseline.settledAfter}. Use per 5 s, facegate: ${ours.trace}.`,
      );
    }
  } finally {
    await stack.stop();
  }
  return {
    name: "Adaptive pacing",
    description: `Limits set in the vendor simulator (per credential, any rolling second; ${LATENCY_MS} ms per call) and not told to facegate; jobs enough to keep the vendor busy for the whole run. "Limit used" is the rate of calls the vendor accepted, from ${SETTLE_S} s after the start (and after a change) to the end, divided by the limit in force; "refused" counts every call answered "too fast" over the whole run.`,
    rows,
    notes,
  };
}

interface Measured {
  use: number;
  refusedShare: number;
  calls: number;
  settledAfter: string;
  trace: string;
}

/**
 * Run one side against a freshly configured simulator and read the result from its call log.
 * `run` queues the jobs, then calls `go` when the calls start, and returns when the run is over.
 */
async function measure(
  stack: Stack,
  s: Scenario,
  run: (go: () => number) => Promise<void>,
): Promise<Measured> {
  await configureSim(stack, s.vendor, { rateLimitPerSecond: s.limit, latencyMs: LATENCY_MS });
  let started = 0;
  let changeTimer: NodeJS.Timeout | undefined;
  const go = () => {
    started = Date.now();
    if (s.change) {
      const { limit, afterS } = s.change;
      changeTimer = setTimeout(() => {
        configureSim(stack, s.vendor, { rateLimitPerSecond: limit }).catch(() => {});
      }, afterS * 1000);
    }
    return started + s.seconds * 1000;
  };
  try {
    await run(go);
  } finally {
    clearTimeout(changeTimer);
    await configureSim(stack, s.vendor, { rateLimitPerSecond: s.limit });
  }
  const calls = (await simCalls(stack, s.vendor)).filter(
    (c) => c.at >= started && c.at < started + s.seconds * 1000,
  );
  return summarise(s, calls, started);
}

function summarise(s: Scenario, calls: SimCallSummary[], started: number): Measured {
  const refused = calls.filter((c) => c.code === RATE_CODES[s.vendor]);
  const accepted = calls.filter((c) => c.status === 200 && !c.code).map((c) => (c.at - started) / 1000);
  const end = s.seconds;
  const limitAt = (t: number) =>
    (s.change && t >= s.change.afterS ? s.change.limit : s.limit) * s.credentials;
  // Windows in which the targets apply: after settling from the start, and from the change.
  const windows: [number, number][] = s.change
    ? [
        [SETTLE_S, s.change.afterS],
        [s.change.afterS + SETTLE_S, end],
      ]
    : [[SETTLE_S, end]];
  let used = 0;
  let allowed = 0;
  for (const [from, to] of windows) {
    used += accepted.filter((t) => t >= from && t < to).length;
    allowed += limitAt(from) * (to - from);
  }
  const perWindow: string[] = [];
  let firstSettled: number | undefined;
  for (let t = 0; t + 5 <= end; t += 5) {
    const use = accepted.filter((a) => a >= t && a < t + 5).length / 5 / limitAt(t);
    perWindow.push(fmt(use, 2));
    if (firstSettled === undefined && use >= 0.9) firstSettled = t + 5;
  }
  return {
    use: used / allowed,
    refusedShare: refused.length / Math.max(1, calls.length),
    calls: calls.length,
    settledAfter: firstSettled === undefined ? "never" : `within ${firstSettled} s`,
    trace: perWindow.join(" "),
  };
}

const RATE_CODES = { ailab: "EXCEEDING_LIMITS", aigs: "request_rate_limit", tencent: "RequestLimitExceeded" };

interface Images {
  target: VendorImage;
  template: VendorImage;
  targetB64: string;
  templateB64: string;
}

async function testImages(): Promise<Images> {
  const target = await syntheticFace({ hue: 20, width: 256, height: 320 });
  const template = await syntheticFace({ hue: 200, width: 256, height: 320 });
  const image = (bytes: Buffer): VendorImage => ({
    bytes,
    contentType: "image/jpeg",
    width: 256,
    height: 320,
  });
  return {
    target: image(target),
    template: image(template),
    targetB64: target.toString("base64"),
    templateB64: template.toString("base64"),
  };
}

/**
 * facegate as deployed: an API and a worker from the built bundles, adaptive pacing on. The jobs
 * are queued first, then the worker starts, so the vendor's side is measured, not the upload.
 */
async function runFacegate(stack: Stack, s: Scenario, images: Images, go: () => number) {
  const prefix = `adapt${s.vendor}${s.change ? "c" : ""}`;
  const env = {
    ...stack.env,
    ...s.guess.env,
    REDIS_PREFIX: prefix,
    VENDOR_CONCURRENCY: "32",
    AILAB_CONCURRENCY: "16",
  };
  const port = String(await freePort());
  const api = await spawnEntry("apps/api/src/main.ts", { ...env, PORT: port }, "api listening");
  let worker: Awaited<ReturnType<typeof spawnEntry>> | undefined;
  const jobs = Math.ceil(s.limit * s.credentials * s.seconds * 1.3);
  try {
    await submitJobs(`http://127.0.0.1:${port}`, jobs, 8, () => ({
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        operation: "face_fusion",
        vendor: s.vendor,
        inputs:
          s.vendor === "tencent"
            ? { target: { base64: images.targetB64 } }
            : { target: { base64: images.targetB64 }, template: { base64: images.templateB64 } },
      }),
    }));
    worker = await spawnEntry("apps/worker/src/main.ts", env, "worker started");
    const deadline = go();
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
  } finally {
    await worker?.stop();
    await api.stop();
  }
  // Jobs left queued are not measured; each scenario has its own prefix.
}

/** The baseline: BullMQ's limiter set from the guess, the same vendor client, a pause on refusals. */
async function runBaseline(stack: Stack, s: Scenario, images: Images, go: () => number) {
  const config = loadConfig({ ...stack.env, ...s.guess.env });
  const adapters = createAdapters(config.vendors);
  const adapter = adapters.get(s.vendor)!;
  const connection = { url: stack.env.REDIS_URL! };
  const name = `baseline-${s.vendor}-${Date.now()}`;
  const queue = new Queue(name, { connection: { ...connection, maxRetriesPerRequest: null } });
  let turn = 0;
  const jobs = Math.ceil(s.limit * s.credentials * s.seconds * 1.3);
  await queue.addBulk(Array.from({ length: jobs }, (_, i) => ({ name: "call", data: { i } })));
  const deadline = go();
  const worker: Worker = new Worker(
    name,
    async () => {
      try {
        await adapter.call({
          operation: "face_fusion",
          target: images.target,
          template: s.vendor === "tencent" ? undefined : images.template,
          params: {},
          credential: turn++ % s.credentials,
        });
      } catch (error) {
        if (error instanceof VendorError && error.kind === "rate_limited") {
          await worker.rateLimit(1_000);
          throw Worker.RateLimitError();
        }
      }
    },
    {
      connection: { ...connection, maxRetriesPerRequest: null },
      concurrency: 32,
      limiter: { max: s.guess.perSecond, duration: 1_000 },
    },
  );
  worker.on("error", () => {});
  try {
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
  } finally {
    await worker.close(true);
    await queue.obliterate({ force: true });
    await queue.close();
    await closeAdapters(adapters);
  }
}
