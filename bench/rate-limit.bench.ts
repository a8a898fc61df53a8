import { freePort } from "@facegate/queue";
import { syntheticFace } from "@facegate/vendor-sim";
import { countStatuses, submitJobs, waitAllFinal } from "./lib/load";
import { spawnEntry } from "./lib/processes";
import { type BenchResult, type BenchRow, fmt } from "./lib/result";
import { configureSim, simCalls, startStack } from "./lib/stack";

const LATENCY_MS = 200;

/**
 * How each pacing mode treats a rate facegate is given: told (`VENDOR_PACING=fixed`), the rate is
 * the limit and is kept; adaptive (the default), it is a first guess, raised until the vendor
 * refuses. Each is held to its own targets: adaptive's are those of the adaptive-pacing benchmark,
 * on the use from `settleS` seconds after the first call, so its run is longer. `seconds`: jobs
 * enough to keep the vendor busy that long at its limit.
 */
const MODES = [
  { pacing: "fixed", label: "told", use: 0.95, refused: 0.005, seconds: 20, settleS: 0 },
  {
    pacing: "adaptive",
    label: "adaptive, as first guess",
    use: 0.9,
    refused: 0.02,
    seconds: 45,
    settleS: 20,
  },
] as const;

/**
 * Rate-limit use: how much of a vendor's allowance facegate uses, and how often it trips it,
 * when it is given the limit. The simulator enforces the limit over a rolling second per
 * credential; facegate paces calls with its Redis GCRA pacer. All jobs are queued first, then
 * one worker drains them.
 */
export default async function rateLimit(): Promise<BenchResult> {
  const stack = await startStack();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const target = (await syntheticFace({ hue: 20, width: 256, height: 320 })).toString("base64");
    const template = (await syntheticFace({ hue: 200, width: 256, height: 320 })).toString("base64");
    const scenarios: {
      vendor: string;
      label: string;
      allowed: number;
      env: Record<string, string>;
      sim: Record<string, unknown>;
    }[] = [
      {
        vendor: "aigs",
        label: "ai-gs, 3 tokens × 10 req/s",
        allowed: 30,
        env: { AIGS_RPS_PER_TOKEN: "10" },
        sim: { rateLimitPerSecond: 10 },
      },
      {
        vendor: "tencent",
        label: "Tencent, 20 req/s",
        allowed: 20,
        env: { TENCENT_RPS: "20" },
        sim: { rateLimitPerSecond: 20 },
      },
    ];
    for (const [s, mode] of scenarios.flatMap((s) => MODES.map((m) => [s, m] as const))) {
      await configureSim(stack, s.vendor, { ...s.sim, latencyMs: LATENCY_MS });
      const env = {
        ...stack.env,
        ...s.env,
        VENDOR_PACING: mode.pacing,
        REDIS_PREFIX: `bench${s.vendor}${mode.pacing}`,
        VENDOR_CONCURRENCY: "32",
      };
      const label = `${s.label} (${mode.label})`;
      const port = String(await freePort());
      const api = await spawnEntry("apps/api/src/main.ts", { ...env, PORT: port }, "api listening");
      const jobs = s.allowed * mode.seconds;
      const ids = await submitJobs(`http://127.0.0.1:${port}`, jobs, 16, () => ({
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          operation: "face_fusion",
          vendor: s.vendor,
          inputs:
            s.vendor === "tencent"
              ? { target: { base64: target } }
              : { target: { base64: target }, template: { base64: template } },
        }),
      }));
      const since = Date.now(); // the simulator's log holds the earlier runs' calls too
      const worker = await spawnEntry("apps/worker/src/main.ts", env, "worker started");
      const cpuBefore = { sim: stack.sim.cpuMs(), worker: worker.cpuMs(), s3: stack.s3.cpuMs() };
      await waitAllFinal(stack.env.REDIS_URL!, "bench", env.REDIS_PREFIX);
      const cpu = {
        sim: (stack.sim.cpuMs() - cpuBefore.sim) / jobs,
        worker: (worker.cpuMs() - cpuBefore.worker) / jobs,
        s3: (stack.s3.cpuMs() - cpuBefore.s3) / jobs,
      };
      const statuses = await countStatuses(stack.env.REDIS_URL!, ids, env.REDIS_PREFIX);
      await worker.stop();
      await api.stop();

      const calls = (await simCalls(stack, s.vendor))
        .filter((c) => c.at >= since)
        .sort((a, b) => a.at - b.at);
      const limited = calls.filter(
        (c) => c.code === "request_rate_limit" || c.code === "RequestLimitExceeded",
      );
      const served = calls.filter((c) => c.status === 200 && !c.code);
      const rate = (list: typeof served) =>
        (list.length - 1) / ((list[list.length - 1]!.at - list[0]!.at) / 1000);
      const settled = served.filter((c) => c.at >= served[0]!.at + mode.settleS * 1000);
      const achieved = rate(settled);
      const use = achieved / s.allowed;
      const share = limited.length / calls.length;
      rows.push(
        {
          metric: `${label}: achieved req/s ÷ allowed${mode.settleS ? ` after ${mode.settleS} s` : ""}`,
          value: `${fmt(achieved, 2)} ÷ ${s.allowed} = ${fmt(use, 3)}`,
          target: `≥ ${mode.use}`,
          pass: use >= mode.use,
        },
        {
          metric: `${label}: calls answered "rate limited"`,
          value: `${limited.length} of ${calls.length} (${fmt(share * 100, 2)} %)`,
          target: `≤ ${fmt(mode.refused * 100, 1)} %`,
          pass: share <= mode.refused,
        },
      );
      const gaps = lateness(calls);
      const whole = mode.settleS ? `; use over the whole run ${fmt(rate(served) / s.allowed, 3)}` : "";
      notes.push(
        `${label}: ${jobs} jobs, ${LATENCY_MS} ms vendor latency${whole}; outcomes ${JSON.stringify(statuses)}; CPU ms per job: worker ${fmt(cpu.worker)}, simulator ${fmt(cpu.sim)}, S3 ${fmt(cpu.s3)}; ${gaps}.`,
      );
    }
  } finally {
    await stack.stop();
  }
  return {
    name: "Rate-limit use",
    description:
      "Jobs queued first, then one worker process drains them against the vendor simulator, which enforces each limit over a rolling second per credential. facegate is given each limit: told (`VENDOR_PACING=fixed`), it keeps it; adaptive (the default), it takes it as a first guess and raises it until the vendor refuses, then settles a little below what worked, held to the adaptive-pacing targets from 20 s after the first call, as that benchmark is. Achieved rate = successful vendor calls per second between the first (told) or the first after 20 s (adaptive) and the last one; refusals are counted over the whole run.",
    rows,
    notes,
  };
}

/** How far arrivals strayed from even spacing, per credential: the jitter the pacing margin absorbs. */
function lateness(calls: { at: number; credential?: string }[]): string {
  const byCredential = new Map<string, number[]>();
  for (const c of calls) {
    const list = byCredential.get(c.credential ?? "") ?? [];
    list.push(c.at);
    byCredential.set(c.credential ?? "", list);
  }
  const gaps: number[] = [];
  for (const list of byCredential.values())
    for (let i = 1; i < list.length; i++) gaps.push(list[i]! - list[i - 1]!);
  gaps.sort((a, b) => a - b);
  return `arrival gaps per credential min ${gaps[0]} ms, p1 ${gaps[Math.floor(gaps.length * 0.01)]} ms, median ${gaps[Math.floor(gaps.length / 2)]} ms`;
}
