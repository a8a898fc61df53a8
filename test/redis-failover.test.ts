import { afterEach, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { ask, primaryOf, promoted } from "./support/redis-failover";
import { type RedisTopology, startRedisCluster, startRedisSentinel } from "./support/redis-topologies";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

/*
 * A primary dies while a job is running: a replica is promoted (by the sentinels, or by the
 * cluster itself) and facegate carries on against it with no setting changed; the running job
 * and a job sent after the promotion both finish.
 */

type Json = Record<string, any>;

const TOPOLOGIES = {
  // Every primary has a replica to promote.
  cluster: () => startRedisCluster({ replicas: 1 }),
  sentinel: () => startRedisSentinel({ failover: true }),
};

let redis: RedisTopology | undefined;
let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  await redis?.stop();
  t = undefined;
  redis = undefined;
});

describe.each(["cluster", "sentinel"] as const)("a primary lost on a Redis %s", (kind) => {
  it("a replica takes over; the running job and the next one finish", async () => {
    redis = await TOPOLOGIES[kind]();
    t = await startTestSystem({ env: redis.env, sim: { ailab: { latencyMs: 1_500 } } });
    const api = (p: string) => t!.api(p);
    const create = async (hue: number) => {
      const res = await t!.api("/v1/jobs", {
        method: "POST",
        body: form(
          { operation: "face_fusion", vendor: "ailab" },
          { target: await face(hue), template: await face(250) },
        ),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as Json).id as string;
    };

    const running = await create(10);
    await until(async () => (await t!.system.ctx.records.get(running))?.status === "running");
    // The primary holding the job records; its replica has every write so far (WAIT), so the
    // promotion loses nothing (Redis replication is asynchronous: docs/redis.md).
    const jobKey = t.system.ctx.keys.job(running);
    const owner = await primaryOf(redis, jobKey);
    // WAIT counts from this connection's own last write: a write in the records' slot first.
    const marker = `${jobKey}:replicated`;
    expect(await ask(owner.port, async (r) => (await r.set(marker, "1")) && r.call("WAIT", 1, 5_000))).toBe(
      1,
    );
    await owner.kill();

    // Promotion: the sentinels name the replica, or the cluster hands the dead node's slots to it.
    await promoted(redis, owner, jobKey);
    expect((await waitForFinal(api, running, 60_000)).status).toBe("succeeded");
    const after = await create(60);
    expect((await waitForFinal(api, after, 60_000)).status).toBe("succeeded");
  });
});
