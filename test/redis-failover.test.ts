import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
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

/** Ask a node (by port) a question; undefined when it does not answer. */
async function ask<T>(port: number, question: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return await question(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

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
    const ownerPort =
      kind === "sentinel"
        ? 0
        : await ownerOf(
            redis.nodes.map((n) => n.port),
            t.system.ctx.keys.job(running),
          );
    const owner = kind === "sentinel" ? redis.nodes[0]! : redis.nodes.find((n) => n.port === ownerPort)!;
    // WAIT counts from this connection's own last write: a write in the records' slot first.
    const marker = `${t.system.ctx.keys.job(running)}:replicated`;
    expect(await ask(owner.port, async (r) => (await r.set(marker, "1")) && r.call("WAIT", 1, 5_000))).toBe(
      1,
    );
    await owner.kill();

    // Promotion: the sentinels name the replica, or the cluster hands the dead node's slots to it.
    if (kind === "sentinel") {
      await until(async () => {
        const addr = (await ask(redis!.sentinels[0]!.port, (r) =>
          r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", "facegate"),
        )) as string[] | undefined;
        return addr !== undefined && Number(addr[1]) !== owner.port;
      });
    } else {
      const alive = redis.nodes.filter((n) => n !== owner).map((n) => n.port);
      const jobKey = t.system.ctx.keys.job(running);
      await until(async () => (await ownerOf(alive, jobKey)) !== owner.port);
    }
    expect((await waitForFinal(api, running, 60_000)).status).toBe("succeeded");
    const after = await create(60);
    expect((await waitForFinal(api, after, 60_000)).status).toBe("succeeded");
  });
});

/** The primary (by port) that holds `key`'s slot, from any node that answers. */
async function ownerOf(ports: number[], key: string): Promise<number> {
  for (const port of ports) {
    const owner = await ask(port, async (r) => {
      const slot = Number(await r.call("CLUSTER", "KEYSLOT", key));
      const ranges = (await r.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
      return ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
    });
    if (owner !== undefined) return owner;
  }
  throw new Error("no node answered");
}
