import { createRedis } from "@facegate/queue";
import { Ledger, type LedgerEntry, redisKeys } from "@facegate/records";
import { type SimCall, syntheticFace } from "@facegate/vendor-sim";
import { buildDist } from "../scripts/build";
import { type Submitted, submitBatch, submitJob } from "./client";
import { type Figures, type JobSeen, measure } from "./measure";
import type { ChaosOptions } from "./options";
import { ADMIN_KEY, PREFIX, startChaosStack, TENANTS } from "./stack";

const FINAL = new Set(["succeeded", "failed", "canceled"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ChaosRun {
  figures: Figures;
  kills: { at: number; what: string }[];
}

/** One chaos run: submit everything while processes and Redis are stopped under it, drain, measure. */
export async function runChaos(
  options: ChaosOptions,
  log: (line: string) => void = () => {},
): Promise<ChaosRun> {
  await buildDist();
  const stack = await startChaosStack(options);
  const signal = options.mode === "kill" ? "SIGKILL" : "SIGTERM";
  const kills: { at: number; what: string }[] = [];
  // The Redis disruption's window: from the kill until Redis served again.
  let redisAway: { from: number; to: number } | undefined;
  let closeRedis = () => {};
  try {
    const [apiUrl] = stack.fleet.apis.map((a) => a.url!);
    const budget = options.budget > 0 ? { tenant: "beta", max: options.budget } : undefined;
    if (budget) {
      const res = await fetch(`${apiUrl}/v1/admin/tenants/${budget.tenant}/budget`, {
        method: "PUT",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ period: "day", max_billable_calls: budget.max }),
      });
      if (!res.ok) log(`budget not set (${res.status}): budget overshoot is not measured`);
    }
    const template = await syntheticFace({ hue: 200, width: 480, height: 600 });
    let submitting = true;
    const redis = createRedis(stack.redis.target, "worker", "chaos-harness");
    // Redis is stopped under the run: the harness's connection waits for it like the fleet's do.
    redis.on("error", () => {});
    closeRedis = () => redis.disconnect();
    const keys = redisKeys(PREFIX);
    const read = async (id: string) => {
      const doc = await redis.hget(keys.job(id), "doc");
      return doc
        ? (JSON.parse(doc) as {
            status: string;
            attempts: number;
            tenant: string;
            error?: { code: string; message: string };
            item?: { index: number };
          })
        : undefined;
    };
    const singles: Submitted[] = [];
    const batches = Array.from({ length: options.batches }, (_, b) =>
      submitBatch(
        stack.fleet.apis,
        100_000 + b * options.batchSize,
        options.batchSize,
        template,
        stack.receiver.url,
      ),
    );
    // Whether any accepted job still waits for a worker to take it up for the first time.
    const queuedLeft = async () => {
      const ids = singles.flatMap((s) => (s.id ? [s.id] : []));
      for (const b of await Promise.all(batches))
        if (b.id) ids.push(...(await redis.zrange(keys.batchJobs(b.id), 0, -1)));
      const docs = await Promise.all(ids.map(read));
      return docs.some((d) => d?.status === "queued");
    };
    const chaos = (async () => {
      // Kills go on while there is work to break: until everything is submitted, Redis and an API
      // were stopped, and no accepted job is still queued. What the drain then measures is the
      // work in flight at the last kill and the recovery from it, not a backlog.
      for (let n = 0; submitting || n < 7 || (await queuedLeft()); n++) {
        await sleep(options.killEveryMs);
        const worker = stack.fleet.workers[n % stack.fleet.workers.length]!;
        kills.push({ at: Date.now(), what: worker.name });
        // Rolling restart: SIGTERM lets the worker finish or hand back its jobs first.
        await worker.restart(signal);
        if (options.apiKill && n === 2) {
          kills.push({ at: Date.now(), what: stack.fleet.apis[0]!.name });
          await stack.fleet.apis[0]!.restart(signal);
        }
        if (options.redisKill && n === 5) {
          const from = Date.now();
          kills.push({ at: from, what: "redis" });
          const { back } = await stack.redis.disrupt(options.mode === "kill", 1_000);
          redisAway = { from, to: back };
        }
        log(`kills: ${kills.length}`);
      }
    })();

    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.jobs) {
          const i = next++;
          singles.push(await submitJob(stack.fleet.apis, i, template, stack.receiver.url));
        }
      }),
    );
    const submittedBatches = await Promise.all(batches);
    log(`submitted ${singles.length} jobs and ${submittedBatches.length} batches`);
    submitting = false;
    await chaos;
    const lastKill = Math.max(...kills.map((k) => k.at));

    const hooksAbout = (id: string) => stack.receiver.about(id).length;
    const collect = async (): Promise<JobSeen[]> => {
      const seen: JobSeen[] = [];
      for (const s of singles) {
        if (!s.id) continue;
        const res = await fetch(`${apiUrl}/v1/jobs/${s.id}`, {
          headers: { authorization: `Bearer ${TENANTS[s.tenant]}` },
        }).catch(() => undefined);
        const view = res?.ok
          ? ((await res.json()) as {
              status: string;
              attempts: number;
              error?: { code: string; message: string };
              finished_at?: string | null;
            })
          : undefined;
        seen.push({
          id: s.id,
          tenant: s.tenant,
          sha: s.sha,
          standalone: true,
          status: view?.status ?? "missing",
          attempts: view?.attempts ?? 0,
          errorCode: view?.error ? `${view.error.code}: ${view.error.message}` : undefined,
          webhooks: hooksAbout(s.id),
          hookAt: stack.receiver.about(s.id)[0]?.at,
          finishedAt: view?.finished_at ? Date.parse(view.finished_at) : undefined,
        });
      }
      for (const b of submittedBatches) {
        if (!b.id) continue;
        for (const id of await redis.zrange(keys.batchJobs(b.id), 0, -1)) {
          const r = await read(id);
          seen.push({
            id,
            tenant: "acme",
            sha: b.shas[r?.item?.index ?? -1] ?? "",
            standalone: false,
            status: r?.status ?? "missing",
            attempts: r?.attempts ?? 0,
            errorCode: r?.error ? `${r.error.code}: ${r.error.message}` : undefined,
            webhooks: 0,
          });
        }
      }
      return seen;
    };
    const batchHooksMissing = () => submittedBatches.filter((b) => b.id && hooksAbout(b.id) === 0).length;
    let jobs = await collect();
    const drainDeadline = Date.now() + options.drainTimeoutMs;
    while (Date.now() < drainDeadline) {
      const settled = jobs.every((j) => FINAL.has(j.status) && (!j.standalone || j.webhooks > 0));
      if (settled && batchHooksMissing() === 0) break;
      await sleep(500);
      jobs = await collect();
    }
    // Drained when the last webhook the run waits for came in (each single job's first, each
    // batch's batch.completed), by the receiver's clock: not when the polling above noticed.
    const settledAt = Math.max(
      ...[
        ...jobs.filter((j) => j.standalone).map((j) => j.id),
        ...submittedBatches.flatMap((b) => (b.id ? [b.id] : [])),
      ].map((id) => stack.receiver.about(id)[0]?.at ?? Date.now()),
    );
    const drainMs = settledAt - lastKill;
    const calls = (await (await fetch(`${stack.simUrl}/_sim/calls?vendor=ailab`)).json()) as SimCall[];
    const ledger = new Ledger(redis, keys, { retentionDays: 30 });
    const entries: LedgerEntry[] = [];
    for (const tenant of Object.keys(TENANTS)) entries.push(...(await ledger.list(tenant)));
    const figures = measure({
      submitted: [...singles, ...submittedBatches],
      jobs,
      calls,
      ledger: entries,
      budget,
      drainMs,
      // Redis going away kills no facegate process: only the processes' kills make a caller die.
      kills: kills.filter((k) => k.what !== "redis").map((k) => k.at),
      redisAway,
    });
    if (batchHooksMissing() > 0)
      figures.missingWebhooks.push(`${batchHooksMissing()} batches without batch.completed`);
    return { figures, kills };
  } finally {
    closeRedis();
    await stack.stop();
  }
}
