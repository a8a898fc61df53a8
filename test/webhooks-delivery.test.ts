import { createServer } from "node:http";
import { freePort } from "@facegate/queue";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { untilDeliveryEnded, untilEmitted } from "./support/emitted";
import { face, form, waitForFinal } from "./support/images";
import { type ReceivedHook, type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

/*
 * Delivery rules against real receivers: retries on the (compressed) schedule with a stable
 * webhook-id, Retry-After, redirects not followed, timeouts, 410 and the days-long failure rule.
 * Schedule: 0, 100, 200, 300, 400 ms (5 attempts); an attempt may take 500 ms.
 */

const TIMEOUT_MS = 500;
let t: TestSystem;
let receiver: Receiver;
let other: Receiver;
let downPort: number;
let images: { target: Buffer; template: Buffer };

beforeAll(async () => {
  receiver = await startReceiver();
  other = await startReceiver();
  downPort = await freePort();
  t = await startTestSystem({
    env: {
      EGRESS_ALLOWLIST: [receiver.hostPort, other.hostPort, `127.0.0.1:${downPort}`].join(","),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_RETRY_SCHEDULE: "0,100ms,200ms,300ms,400ms",
    },
  });
  images = { target: await face(30), template: await face(210) };
});
afterAll(async () => {
  await receiver?.close();
  await other?.close();
  await t?.close();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, any>;
}

async function submit(options: { webhookUrl?: string; tenant?: "acme" | "beta" } = {}): Promise<string> {
  const fields: Record<string, string> = { operation: "face_fusion", vendor: "ailab" };
  if (options.webhookUrl) fields.webhook_url = options.webhookUrl;
  const res = await t.api("/v1/jobs", {
    method: "POST",
    tenant: options.tenant,
    body: form(fields, images),
  });
  expect(res.status).toBe(202);
  return (await json(res)).id as string;
}

async function deliveriesOf(jobId: string, tenant: "acme" | "beta" = "acme") {
  return (await json(await t.api(`/v1/jobs/${jobId}/deliveries`, { tenant }))).data as Record<string, any>[];
}

/** Poll the job's deliveries until `done` says so. */
async function deliveriesWhen(
  jobId: string,
  done: (list: Record<string, any>[]) => boolean,
  tenant: "acme" | "beta" = "acme",
  timeoutMs = 15_000,
) {
  let list: Record<string, any>[] = [];
  await until(
    async () => {
      list = await deliveriesOf(jobId, tenant);
      return done(list);
    },
    timeoutMs,
    `deliveries of ${jobId}`,
  );
  return list;
}
const settled = (n: number) => (list: Record<string, any>[]) =>
  list.length >= n && list.every((d) => d.status !== "pending");

async function secret(tenant: "acme" | "beta" = "acme") {
  return (await json(await t.api("/v1/webhook-secret", { tenant }))).secret as string;
}

function verify(hook: ReceivedHook, key: string) {
  return new Webhook(key).verify(hook.body, hook.headers as Record<string, string>) as Record<string, any>;
}

async function createEndpoint(url: string, tenant: "acme" | "beta" = "beta") {
  const res = await t.api("/v1/webhook-endpoints", {
    method: "POST",
    tenant,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url }),
  });
  expect(res.status).toBe(201);
  return json(res);
}

describe("retries", () => {
  it("a receiver failing its first 3 attempts gets the event on the 4th, with the same webhook-id", async () => {
    receiver.script([503, "reset", { status: 500, body: "boom" }]);
    const id = await submit({ webhookUrl: receiver.url });
    const [delivery] = await deliveriesWhen(id, settled(1));
    expect(delivery!.status).toBe("succeeded");
    expect(delivery!.attempts.map((a: any) => [a.status, a.ok])).toEqual([
      [503, false],
      [null, false],
      [500, false],
      [200, true],
    ]);
    expect(delivery!.attempts[0].error).toBe("HTTP 503");
    expect(delivery!.attempts[1].error).toMatch(/^connection_failed: /);
    expect(delivery!.attempts[2]).toMatchObject({ error: "HTTP 500", response: "boom" });

    const hooks = receiver.about(id);
    expect(hooks).toHaveLength(4);
    expect(new Set(hooks.map((h) => h.headers["webhook-id"]))).toEqual(new Set([delivery!.webhook_id]));
    const key = await secret();
    for (const hook of hooks) expect(verify(hook, key).data.id).toBe(id);
    // The waits follow the schedule (100, 200, 300 ms, ±10 %).
    const gaps = hooks.slice(1).map((h, i) => h.at - hooks[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(180);
    expect(gaps[2]).toBeGreaterThanOrEqual(270);
  });

  it("a receiver that is down (connection refused) gets the event once it is back", async () => {
    const url = `http://127.0.0.1:${downPort}/hook`;
    const id = await submit({ webhookUrl: url });
    await deliveriesWhen(id, (list) => (list[0]?.attempts.length ?? 0) >= 2);
    const got: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const back = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        got.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => back.listen(downPort, "127.0.0.1", resolve));
    try {
      const [delivery] = await deliveriesWhen(id, settled(1));
      expect(delivery!.status).toBe("succeeded");
      const attempts = delivery!.attempts as Record<string, any>[];
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      for (const failed of attempts.slice(0, -1)) {
        expect(failed).toMatchObject({ ok: false, status: null });
        expect(failed.error).toMatch(/^connection_failed: /);
      }
      expect(attempts.at(-1)).toMatchObject({ ok: true, status: 204 });
      expect(got).toHaveLength(1);
      expect(got[0]!.headers["webhook-id"]).toBe(delivery!.webhook_id);
      expect(verify(got[0] as ReceivedHook, await secret()).type).toBe("job.succeeded");
    } finally {
      back.closeAllConnections();
      await new Promise((r) => back.close(r));
    }
  });

  it("honours Retry-After on 429 and 503", async () => {
    receiver.script([
      { status: 429, headers: { "retry-after": "1" } },
      { status: 503, headers: { "retry-after": "1" } },
    ]);
    const id = await submit({ webhookUrl: receiver.url });
    const [delivery] = await deliveriesWhen(id, settled(1));
    expect(delivery!.status).toBe("succeeded");
    expect(delivery!.attempts.map((a: any) => a.status)).toEqual([429, 503, 200]);
    const hooks = receiver.about(id);
    expect(hooks).toHaveLength(3);
    // The schedule alone would retry after 100 and 200 ms.
    expect(hooks[1]!.at - hooks[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(hooks[2]!.at - hooks[1]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it("does not follow redirects: a 3xx is a failed attempt", async () => {
    receiver.respond(302, { location: other.url });
    try {
      const id = await submit({ webhookUrl: receiver.url });
      const [delivery] = await deliveriesWhen(id, settled(1));
      expect(delivery).toMatchObject({ status: "failed", last_error: "redirect (302) not followed" });
      expect(delivery!.attempts).toHaveLength(5);
      for (const attempt of delivery!.attempts) expect(attempt).toMatchObject({ status: 302, ok: false });
      expect(receiver.about(id)).toHaveLength(5);
      expect(other.about(id)).toEqual([]);
    } finally {
      receiver.respond(200);
    }
  });

  it("times a hanging receiver out after WEBHOOK_TIMEOUT_MS and retries", async () => {
    receiver.script(["hang"]);
    const id = await submit({ webhookUrl: receiver.url });
    const [delivery] = await deliveriesWhen(id, settled(1));
    expect(delivery!.status).toBe("succeeded");
    const [hung, ok] = delivery!.attempts as Record<string, any>[];
    expect(hung).toMatchObject({ ok: false, status: null });
    expect(hung!.error).toMatch(/^timeout: /);
    expect(hung!.latency_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(hung!.latency_ms).toBeLessThan(TIMEOUT_MS + 1_000);
    expect(ok).toMatchObject({ ok: true, status: 200 });
    const hooks = receiver.about(id);
    expect(hooks.map((h) => h.headers["webhook-id"])).toEqual([delivery!.webhook_id, delivery!.webhook_id]);
  });
});

describe("410 Gone and endpoints failing for days", () => {
  it("410 from a job's webhook_url ends that delivery at once, without retries", async () => {
    receiver.script([410]);
    const id = await submit({ webhookUrl: receiver.url });
    const [delivery] = await deliveriesWhen(id, settled(1));
    expect(delivery).toMatchObject({ status: "failed", last_error: "the receiver answered 410 Gone" });
    expect(delivery!.attempts).toHaveLength(1);
    await untilDeliveryEnded(t.system.ctx, delivery!.id);
    expect(receiver.about(id)).toHaveLength(1);
  });

  it("410 disables a registered endpoint until it is enabled again", async () => {
    other.respond(410);
    const endpoint = await createEndpoint(`${other.url}/gone`);
    try {
      const first = await submit({ tenant: "beta" });
      const [delivery] = await deliveriesWhen(first, settled(1), "beta");
      expect(delivery).toMatchObject({ status: "failed", target: { endpoint_id: endpoint.id } });
      expect(delivery!.attempts).toHaveLength(1);
      const disabled = await json(await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { tenant: "beta" }));
      expect(disabled.disabled_at).not.toBeNull();
      expect(disabled.disabled_reason).toBe("the receiver answered 410 Gone");

      // Disabled: later events skip it, and a replay is refused until it is enabled.
      const second = await submit({ tenant: "beta" });
      expect((await waitForFinal((p) => t.api(p, { tenant: "beta" }), second)).status).toBe("succeeded");
      await untilEmitted(t.system.ctx, second);
      expect(await deliveriesOf(second, "beta")).toEqual([]);
      expect(other.about(second)).toEqual([]);
      const replay = await t.api(`/v1/deliveries/${delivery!.id}/retry`, { method: "POST", tenant: "beta" });
      expect(replay.status).toBe(409);
      expect((await json(replay)).code).toBe("endpoint_disabled");

      other.respond(200);
      const enabled = await json(
        await t.api(`/v1/webhook-endpoints/${endpoint.id}/enable`, { method: "POST", tenant: "beta" }),
      );
      expect(enabled).toMatchObject({ disabled_at: null, disabled_reason: null });
      const third = await submit({ tenant: "beta" });
      const [delivered] = await deliveriesWhen(third, settled(1), "beta");
      expect(delivered!.status).toBe("succeeded");
      expect(verify(other.about(third)[0]!, endpoint.secret).data.id).toBe(third);
    } finally {
      other.respond(200);
      await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { method: "DELETE", tenant: "beta" });
    }
  });

  it("an endpoint failing for days is disabled, and says why", async () => {
    other.respond(500);
    const endpoint = await createEndpoint(`${other.url}/broken`);
    try {
      const first = await submit({ tenant: "beta" });
      const [failed] = await deliveriesWhen(first, settled(1), "beta");
      expect(failed).toMatchObject({ status: "failed", last_error: "HTTP 500" });
      expect(failed!.attempts).toHaveLength(5);
      const failing = await json(await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { tenant: "beta" }));
      expect(failing.failing_since).not.toBeNull();
      expect(failing.disabled_at).toBeNull();

      // Days pass (the run of failures started 6 days ago); the next failure disables it.
      const { redis, keys } = t.system.ctx;
      await redis.hset(keys.webhookEndpoint(endpoint.id), "failingSince", Date.now() - 6 * 86_400_000);
      const second = await submit({ tenant: "beta" });
      const [last] = await deliveriesWhen(second, settled(1), "beta");
      expect(last!.status).toBe("failed");
      expect(last!.attempts).toHaveLength(1);
      const disabled = await json(await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { tenant: "beta" }));
      expect(disabled.disabled_at).not.toBeNull();
      expect(disabled.disabled_reason).toBe("every delivery failed for 5 days (last error: HTTP 500)");
      const listed = (await json(await t.api("/v1/webhook-endpoints", { tenant: "beta" }))).data;
      expect(listed.find((e: any) => e.id === endpoint.id).disabled_reason).toBe(disabled.disabled_reason);

      // One success resets the run: enable, succeed, and the failing mark is gone.
      other.respond(200);
      await t.api(`/v1/webhook-endpoints/${endpoint.id}/enable`, { method: "POST", tenant: "beta" });
      other.script([500]);
      const third = await submit({ tenant: "beta" });
      await deliveriesWhen(third, settled(1), "beta");
      const healthy = await json(await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { tenant: "beta" }));
      expect(healthy).toMatchObject({ failing_since: null, disabled_at: null });
    } finally {
      other.respond(200);
      await t.api(`/v1/webhook-endpoints/${endpoint.id}`, { method: "DELETE", tenant: "beta" });
    }
  });
});
