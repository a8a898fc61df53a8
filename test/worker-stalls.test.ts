import { queueJobId } from "@facegate/queue";
import { afterEach, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { type ChildWorker, spawnWorker } from "./support/processes";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

const LOCK_MS = 4_000;
/** More than BullMQ's usual limit of stalls before it fails a job. */
const KILLS = 5;

let t: TestSystem | undefined;
const workers: ChildWorker[] = [];

afterEach(async () => {
  for (const w of workers.splice(0)) await w.kill("SIGKILL");
  await t?.close();
  t = undefined;
});

/** When each worker took the job up: its queue's `active` events (Redis time, ms). */
async function activations(t: TestSystem, bullId: string): Promise<number[]> {
  const stream = t.system.ctx.queues.get("vendor-ailab").keys.events!;
  const entries = await t.system.ctx.redis.xrange(stream, "-", "+");
  return entries
    .filter(([, fields]) => fields[1] === "active" && fields[fields.indexOf("jobId") + 1] === bullId)
    .map(([id]) => Number(id.split("-")[0]));
}

describe("a worker killed mid-call, again and again", () => {
  it("the job is taken up by another worker within JOB_LOCK_MS each time, never failed for stalling, and completes", async () => {
    // Every call hangs until the last kill, so each worker dies with the call in flight.
    t = await startTestSystem({
      worker: false,
      env: { JOB_LOCK_MS: String(LOCK_MS) },
      sim: { ailab: { latencyMs: 120_000 } },
    });
    let current = spawnWorker(t.env);
    workers.push(current);
    await current.started;
    const res = await t.api("/v1/jobs", {
      method: "POST",
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await face(40), template: await face(200) },
      ),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const kills: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // The (k+1)-th call has reached the vendor (the dead workers' calls are still parked there).
      await until(() => t!.sim.inFlight().ailab === k + 1, 60_000, `call ${k + 1} at the vendor`);
      const next = spawnWorker(t.env);
      workers.push(next);
      await next.started;
      if (k === KILLS - 1) t.sim.configure("ailab", { latencyMs: 0 });
      kills.push(Date.now());
      await current.kill("SIGKILL");
      current = next;
    }

    const done = await waitForFinal((p) => t!.api(p), id, 60_000);
    expect(done.status).toBe("succeeded");
    const active = await activations(t, queueJobId(id, "ailab"));
    expect(active).toHaveLength(KILLS + 1);
    for (const [i, killedAt] of kills.entries()) {
      const takenUp = active[i + 1]! - killedAt;
      expect(takenUp).toBeGreaterThan(0);
      expect(takenUp).toBeLessThanOrEqual(LOCK_MS);
    }
  }, 180_000);
});
