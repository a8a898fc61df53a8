import { queueJobId } from "@facegate/queue";
import { describe, expect, it } from "vitest";
import { endedAfterEach } from "./support/ended-after-each";
import { waitForFinal } from "./support/images";
import { submitFusion } from "./support/jobs";
import { spawnWorker } from "./support/processes";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

const LOCK_MS = 4_000;
/** More than BullMQ's usual limit of stalls before it fails a job. */
const KILLS = 5;

let t: TestSystem | undefined;

const ended = endedAfterEach();

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
    t = ended(
      await startTestSystem({
        worker: false,
        env: { JOB_LOCK_MS: String(LOCK_MS) },
        sim: { ailab: { latencyMs: 120_000 } },
      }),
    );
    let current = ended(spawnWorker(t.env));
    await current.started;
    const { id } = await submitFusion(t, 40);

    const kills: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // The (k+1)-th call has reached the vendor (the dead workers' calls are still parked there).
      await until(() => t!.sim.inFlight().ailab === k + 1, 60_000, `call ${k + 1} at the vendor`);
      const next = ended(spawnWorker(t.env));
      await next.started;
      if (k === KILLS - 1) t.sim.configure("ailab", { latencyMs: 0 });
      kills.push(Date.now());
      await current.kill("SIGKILL");
      current = next;
    }

    const done = await waitForFinal((p) => t!.api(p), id, 60_000);
    expect(done.status).toBe("succeeded");
    // Taken up after each kill: the first activation after it. A run that finds the dead worker's
    // call still leased puts the job back until the lease lapses, and is activated again.
    const active = await activations(t, queueJobId(id, "ailab"));
    expect(active.length).toBeGreaterThanOrEqual(KILLS + 1);
    for (const killedAt of kills) {
      const takenUp = active.find((at) => at > killedAt)! - killedAt;
      expect(takenUp).toBeLessThanOrEqual(LOCK_MS);
    }
  }, 180_000);
});
