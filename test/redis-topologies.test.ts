import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { type RedisTopology, startRedisCluster, startRedisSentinel } from "./support/redis-topologies";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

type Json = Record<string, any>;

const TOPOLOGIES = { cluster: () => startRedisCluster(), sentinel: () => startRedisSentinel() };
/**
 * ai-gs pacing under test: the simulator refuses a token's third call within a rolling second;
 * facegate paces each token below that, with room for a busy machine's send-time jitter. Twelve
 * jobs over the three tokens sent at once would be refused without pacing.
 */
const AIGS_LIMIT_PER_S = 2;
const AIGS_PACED_PER_S = 1.5;
const PACED_JOBS = 12;

describe.each(["cluster", "sentinel"] as const)("facegate on a Redis %s", (kind) => {
  let redis: RedisTopology;
  let receiver: Receiver;
  let t: TestSystem;

  beforeAll(async () => {
    redis = await TOPOLOGIES[kind]();
    receiver = await startReceiver();
    t = await startTestSystem({
      env: {
        ...redis.env,
        EGRESS_ALLOWLIST: receiver.hostPort,
        AIGS_RPS_PER_TOKEN: String(AIGS_PACED_PER_S),
        // Tests poll fast; the limiter still counts every request in Redis.
        API_RATE_LIMIT_PER_MINUTE: "100000",
      },
      sim: { aigs: { rateLimitPerSecond: AIGS_LIMIT_PER_S } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    await redis?.stop();
  });

  const create = async (fields: Record<string, string>, hue = 10, headers: Record<string, string> = {}) =>
    t.api("/v1/jobs", {
      method: "POST",
      headers,
      body: form(
        { operation: "face_fusion", vendor: "ailab", ...fields },
        {
          target: await face(hue),
          template: await face(250),
        },
      ),
    });

  it("connects with only the documented variables", () => {
    expect(t.env.REDIS_URL).toBe("");
    expect(t.system.ctx.config.redis.mode).toBe(kind);
  });

  it("runs a job end to end: stored result, signed webhook, Prefer: wait", async () => {
    const res = await create({ webhook_url: receiver.url });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Json;
    const job = await waitForFinal((p) => t.api(p), id);
    expect(job).toMatchObject({ status: "succeeded", vendor: { used: "ailab" } });
    const image = await fetch((job.output as Json).url);
    expect(image.status).toBe(200);

    const [hook] = await receiver.waitAbout(id);
    const secret = ((await (await t.api("/v1/webhook-secret")).json()) as Json).secret as string;
    const payload = new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>) as Json;
    expect(payload).toMatchObject({ type: "job.succeeded", data: { id, status: "succeeded" } });
    const deliveries = (await (await t.api(`/v1/jobs/${id}/deliveries`)).json()) as Json;
    expect(deliveries.data).toMatchObject([{ status: "succeeded" }]);

    // The finish notice travels by pub/sub from the worker to the waiting request.
    const waited = await create({}, 40, { prefer: "wait=30" });
    expect(waited.status).toBe(200);
    expect(((await waited.json()) as Json).status).toBe("succeeded");
  });

  it("runs a batch to completion", async () => {
    const body = new FormData();
    body.set("operation", "face_fusion");
    body.set("vendor", "ailab");
    body.set("template", new Blob([new Uint8Array(await face(250))]), "template.jpg");
    for (const hue of [20, 60, 100])
      body.append("targets", new Blob([new Uint8Array(await face(hue))]), `t${hue}.jpg`);
    const res = await t.api("/v1/batches", { method: "POST", body });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Json;
    let batch: Json = {};
    await until(async () => {
      batch = (await (await t.api(`/v1/batches/${id}`)).json()) as Json;
      return batch.status === "completed";
    });
    expect(batch.counts).toMatchObject({ total: 3, succeeded: 3, failed: 0 });
  });

  it("answers a repeated Idempotency-Key with the same job and refuses it for another body", async () => {
    const key = { "idempotency-key": `order-${kind}` };
    const first = (await (await create({}, 70, key)).json()) as Json;
    const again = await create({}, 70, key);
    expect([200, 202]).toContain(again.status);
    expect(((await again.json()) as Json).id).toBe(first.id);
    const other = await create({}, 71, key);
    expect(other.status).toBe(422);
    expect(((await other.json()) as Json).code).toBe("idempotency_key_reused");
  });

  it("paces a rate-limited vendor through Redis: no call is refused as too fast", async () => {
    const before = t.sim.calls({ vendor: "aigs" }).length;
    const ids = await Promise.all(
      Array.from({ length: PACED_JOBS }, async (_, i) => {
        const res = await create({ vendor: "aigs" }, 110 + i * 10);
        return ((await res.json()) as Json).id as string;
      }),
    );
    for (const id of ids) expect((await waitForFinal((p) => t.api(p), id, 30_000)).status).toBe("succeeded");
    const calls = t.sim.calls({ vendor: "aigs" }).slice(before);
    expect(calls).toHaveLength(ids.length);
    expect(calls.map((c) => c.code)).toEqual(ids.map(() => null));
  });

  it("cancels a running job: the cancel reaches the worker by pub/sub and the vendor call is aborted", async () => {
    t.sim.configure("ailab", { latencyMs: 10_000 });
    try {
      const { id } = (await (await create({}, 200)).json()) as Json;
      await until(async () => (await t.system.ctx.records.get(id))?.status === "running");
      const res = await t.api(`/v1/jobs/${id}/cancel`, { method: "POST" });
      expect(res.status).toBe(200);
      // The aborted call frees its worker long before the vendor would have answered. (Its BullMQ
      // job may be gone by now: once completed, the cancel's clean-up removes it.)
      const queue = t.system.ctx.queues.get("vendor-ailab");
      await until(async () => (await queue.getActiveCount()) === 0, 8_000, "vendor call aborted");
      expect(await waitForFinal((p) => t.api(p), id)).toMatchObject({ status: "canceled", output: null });
    } finally {
      t.sim.configure("ailab", { latencyMs: 0 });
    }
  });

  it("keeps a tenant's budget and lists the tenant among those with usage", async () => {
    const { budgets, ledger } = t.system.ctx;
    await budgets.set("beta", { period: "month", maxBillableCalls: 100 });
    expect(await budgets.get("beta")).toMatchObject({ period: "month", maxBillableCalls: 100 });
    expect(await ledger.tenants()).toContain("beta");
  });

  if (kind === "cluster")
    it("keeps each queue in a slot of its own and the job records in theirs", async () => {
      const { redis: client, config } = t.system.ctx;
      const slot = async (key: string) => Number(await client.call("CLUSTER", "KEYSLOT", key));
      const queueSlots = new Set(
        await Promise.all(t.system.ctx.queues.all().map((q) => slot(`${q.opts.prefix}:${q.name}:wait`))),
      );
      expect(queueSlots.size).toBe(t.system.ctx.queues.all().length);
      const { keys } = t.system.ctx;
      expect(await slot(keys.job("a"))).toBe(await slot(keys.outbox));
      expect(await slot(keys.job("a"))).not.toBe(await slot(keys.delivery("a")));
      expect(config.redis.prefix).not.toContain("{");
    });
});
