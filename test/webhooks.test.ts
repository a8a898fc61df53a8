import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { emitEvent } from "@facegate/webhooks";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { untilDeliveryEnded, untilEmitted } from "./support/emitted";
import { blank, face, form, waitForFinal } from "./support/images";
import { type ReceivedHook, type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

/*
 * What a receiver gets: signatures that verify with the standardwebhooks package (and with the
 * docs' plain-crypto code), the event types, data equal to GET, rotation, registered endpoints
 * with their filters and own secrets, the delivery log and manual replays.
 */

let t: TestSystem;
let receiver: Receiver;
let images: { target: Buffer; template: Buffer; blank: Buffer };

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: receiver.hostPort } });
  images = { target: await face(30), template: await face(210), blank: await blank() };
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, any>;
}

async function submit(
  options: { webhookUrl?: string; tenant?: "acme" | "beta"; noFace?: boolean } = {},
): Promise<string> {
  const fields: Record<string, string> = { operation: "face_fusion", vendor: "ailab" };
  if (options.webhookUrl) fields.webhook_url = options.webhookUrl;
  const res = await t.api("/v1/jobs", {
    method: "POST",
    tenant: options.tenant,
    body: form(fields, { target: options.noFace ? images.blank : images.target, template: images.template }),
  });
  expect(res.status).toBe(202);
  return (await json(res)).id as string;
}

async function deliveriesOf(jobId: string, tenant: "acme" | "beta" = "acme") {
  const res = await t.api(`/v1/jobs/${jobId}/deliveries`, { tenant });
  expect(res.status).toBe(200);
  return (await json(res)).data as Record<string, any>[];
}

/** Wait until the job has at least `count` deliveries (events are emitted just after the job ends). */
async function planned(jobId: string, count = 1) {
  let list: Record<string, any>[] = [];
  await until(
    async () => {
      list = await deliveriesOf(jobId);
      return list.length >= count;
    },
    10_000,
    `${count} deliveries of ${jobId}`,
  );
  return list;
}

/** Wait until the job has `count` deliveries and none is pending. */
async function settled(jobId: string, count = 1, tenant: "acme" | "beta" = "acme", timeoutMs = 15_000) {
  let list: Record<string, any>[] = [];
  const done = async () => {
    list = await deliveriesOf(jobId, tenant);
    return list.length >= count && list.every((d) => d.status !== "pending");
  };
  await until(done, timeoutMs, `${count} settled deliveries of ${jobId}`);
  return list;
}

function verify(hook: ReceivedHook, secret: string) {
  return new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as Record<string, any>;
}

/** The same job without the parts presigned afresh at each rendering. */
function stable(job: Record<string, any>) {
  const copy = structuredClone(job);
  if (copy.output) {
    delete copy.output.url;
    delete copy.output.expires_at;
  }
  return copy;
}

async function tenantSecret(tenant: "acme" | "beta" = "acme") {
  return (await json(await t.api("/v1/webhook-secret", { tenant }))).secret as string;
}

describe("events a job's webhook_url receives", () => {
  it("job.succeeded: Standard Webhooks headers, a verifiable signature, the data GET returns", async () => {
    const id = await submit({ webhookUrl: receiver.url });
    const [hook] = await receiver.waitAbout(id);
    const secret = await tenantSecret();

    // A whsec_ secret of at least 24 random bytes.
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);

    expect(hook!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{29}$/);
    const sentAt = Number(hook!.headers["webhook-timestamp"]);
    expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(10);
    expect(hook!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(hook!.headers["content-type"]).toBe("application/json");

    const payload = verify(hook!, secret);
    expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
    expect(payload.type).toBe("job.succeeded");

    const job = await json(await t.api(`/v1/jobs/${id}`));
    expect(payload.timestamp).toBe(job.finished_at);
    expect(stable(payload.data)).toEqual(stable(job));
    expect(payload.data.status).toBe("succeeded");

    // Images are links: the event stays small, and its presigned URL serves the stored output.
    expect(hook!.body.length).toBeLessThan(4_096);
    expect(payload.data.output.expires_at).toMatch(/^\d{4}-/);
    const image = Buffer.from(await (await fetch(payload.data.output.url)).arrayBuffer());
    expect(createHash("sha256").update(image).digest("hex")).toBe(job.output.sha256);

    // Anything else fails verification: another secret, a changed body, another id.
    const other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(() => verify(hook!, other)).toThrow();
    expect(() => verify({ ...hook!, body: hook!.body.replace("succeeded", "failed") }, secret)).toThrow();
    expect(() =>
      verify({ ...hook!, headers: { ...hook!.headers, "webhook-id": "msg_x" } }, secret),
    ).toThrow();
  });

  it("job.failed carries the job's normalised error", async () => {
    const id = await submit({ webhookUrl: receiver.url, noFace: true });
    const [hook] = await receiver.waitAbout(id);
    const payload = verify(hook!, await tenantSecret());
    expect(payload.type).toBe("job.failed");
    expect(payload.data.error).toMatchObject({ code: "no_face_detected", vendor: "ailab", retryable: false });
    expect(payload.data).toEqual(await json(await t.api(`/v1/jobs/${id}`)));
  });

  it("job.canceled for a canceled job, exactly once", async () => {
    t.sim.configure("ailab", { latencyMs: 3_000 });
    try {
      const id = await submit({ webhookUrl: receiver.url });
      const canceled = await t.api(`/v1/jobs/${id}/cancel`, { method: "POST" });
      expect(canceled.status).toBe(200);
      const [hook] = await receiver.waitAbout(id);
      const payload = verify(hook!, await tenantSecret());
      expect(payload.type).toBe("job.canceled");
      expect(payload.data).toMatchObject({
        id,
        status: "canceled",
        error: { code: "canceled" },
        output: null,
      });
      const list = await settled(id);
      expect(list.map((d) => [d.event, d.status])).toEqual([["job.canceled", "succeeded"]]);
      // The canceled vendor call has ended and no event of the job is left to emit.
      const queue = t.system.ctx.queues.get("vendor-ailab");
      await until(async () =>
        ["completed", "failed", "unknown"].includes(await queue.getJobState(`${id}.ailab`)),
      );
      await untilEmitted(t.system.ctx, id);
      await untilDeliveryEnded(t.system.ctx, list[0]!.id);
      expect(await deliveriesOf(id)).toHaveLength(1);
      expect(receiver.about(id)).toHaveLength(1);
    } finally {
      t.sim.configure("ailab", { latencyMs: 0 });
    }
  });

  it("after a rotation, signs with both secrets; each signature verifies on its own", async () => {
    const before = await tenantSecret();
    const rotated = await json(await t.api("/v1/webhook-secret/rotate", { method: "POST" }));
    expect(rotated.secret).not.toBe(before);
    expect(Date.parse(rotated.previous_valid_until) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const now = await json(await t.api("/v1/webhook-secret"));
    expect(now.secret).toBe(rotated.secret);

    const id = await submit({ webhookUrl: receiver.url });
    const [hook] = await receiver.waitAbout(id);
    const signatures = String(hook!.headers["webhook-signature"]).split(" ");
    expect(signatures).toHaveLength(2);
    const only = (signature: string) => ({
      ...hook!,
      headers: { ...hook!.headers, "webhook-signature": signature },
    });
    expect(verify(only(signatures[0]!), rotated.secret).data.id).toBe(id);
    expect(verify(only(signatures[1]!), before).data.id).toBe(id);
    expect(() => verify(only(signatures[0]!), before)).toThrow();
    expect(() => verify(only(signatures[1]!), rotated.secret)).toThrow();
    // A receiver holding either secret accepts the request as sent.
    expect(verify(hook!, before).type).toBe("job.succeeded");
    expect(verify(hook!, rotated.secret).type).toBe("job.succeeded");
  });
});

describe("emitting again (an outbox replay after a crash)", () => {
  it("adds no delivery and sends nothing twice", async () => {
    const id = await submit({ webhookUrl: receiver.url });
    await receiver.waitAbout(id);
    const [before] = await settled(id);
    const record = (await t.system.ctx.records.get(id))!;
    const event = { type: "job.succeeded" as const, tenant: "acme", jobId: id, at: record.finishedAt! };
    expect(await emitEvent(t.system.ctx.webhooks, event, record.webhookUrl)).toEqual([]);
    expect(await deliveriesOf(id)).toEqual([before]);
    expect(receiver.about(id)).toHaveLength(1);
  });
});

describe("registered endpoints", () => {
  it("are created, listed, filtered by event type, signed with their own secret, deleted", async () => {
    const failedOnly = await json(
      await t.postJson(
        "/v1/webhook-endpoints",
        { url: `${receiver.url}/failed-only`, events: ["job.failed"] },
        { tenant: "beta" },
      ),
    );
    const everything = await json(
      await t.postJson(
        "/v1/webhook-endpoints",
        { url: `${receiver.url}/all`, description: "all events" },
        { tenant: "beta" },
      ),
    );
    try {
      expect(failedOnly).toMatchObject({
        object: "webhook_endpoint",
        events: ["job.failed"],
        disabled_at: null,
      });
      expect(everything).toMatchObject({ events: [], description: "all events" });
      expect(failedOnly.secret).toMatch(/^whsec_/);
      expect(failedOnly.secret).not.toBe(everything.secret);

      // The list never shows secrets; another tenant sees nothing.
      const list = (await json(await t.api("/v1/webhook-endpoints", { tenant: "beta" }))).data;
      expect(list.map((e: any) => e.id).sort()).toEqual([failedOnly.id, everything.id].sort());
      expect(list.every((e: any) => e.secret === undefined)).toBe(true);
      expect((await t.api(`/v1/webhook-endpoints/${failedOnly.id}`)).status).toBe(404);
      expect((await json(await t.api("/v1/webhook-endpoints"))).data).toEqual([]);
      const bad = await t.postJson(
        "/v1/webhook-endpoints",
        { url: receiver.url, events: ["job.exploded"] },
        { tenant: "beta" },
      );
      expect(bad.status).toBe(422);

      // A success goes to the catch-all endpoint only; a failure to both.
      const betaSecret = await tenantSecret("beta");
      const ok = await submit({ tenant: "beta" });
      const failed = await submit({ tenant: "beta", noFace: true });
      await settled(ok, 1, "beta");
      await settled(failed, 2, "beta");
      const okHooks = receiver.about(ok);
      expect(okHooks.map((h) => h.path)).toEqual(["/hook/all"]);
      expect(verify(okHooks[0]!, everything.secret).type).toBe("job.succeeded");
      expect(() => verify(okHooks[0]!, failedOnly.secret)).toThrow();
      expect(() => verify(okHooks[0]!, betaSecret)).toThrow();
      const failedHooks = receiver.about(failed);
      expect(failedHooks.map((h) => h.path).sort()).toEqual(["/hook/all", "/hook/failed-only"]);
      for (const hook of failedHooks) {
        const secret = hook.path.endsWith("failed-only") ? failedOnly.secret : everything.secret;
        expect(verify(hook, secret).type).toBe("job.failed");
      }
      const log = await deliveriesOf(failed, "beta");
      expect(log.map((d) => d.target.endpoint_id).sort()).toEqual([failedOnly.id, everything.id].sort());

      // Rotating an endpoint's secret: both sign, each verifies.
      const rotated = await json(
        await t.api(`/v1/webhook-endpoints/${everything.id}/rotate-secret`, {
          method: "POST",
          tenant: "beta",
        }),
      );
      expect(rotated.secret).not.toBe(everything.secret);
      expect(rotated.previous_secret_valid_until).not.toBeNull();
      const afterRotation = await submit({ tenant: "beta" });
      const [hook] = await receiver.waitAbout(afterRotation);
      const signatures = String(hook!.headers["webhook-signature"]).split(" ");
      expect(signatures).toHaveLength(2);
      expect(
        verify(
          { ...hook!, headers: { ...hook!.headers, "webhook-signature": signatures[0]! } },
          rotated.secret,
        ).type,
      ).toBe("job.succeeded");
      expect(
        verify(
          { ...hook!, headers: { ...hook!.headers, "webhook-signature": signatures[1]! } },
          everything.secret,
        ).type,
      ).toBe("job.succeeded");

      // Deleted: gone from the API and from later events.
      expect(
        (await t.api(`/v1/webhook-endpoints/${everything.id}`, { method: "DELETE", tenant: "beta" })).status,
      ).toBe(204);
      expect((await t.api(`/v1/webhook-endpoints/${everything.id}`, { tenant: "beta" })).status).toBe(404);
      const afterDelete = await submit({ tenant: "beta" });
      await waitForFinal((p) => t.api(p, { tenant: "beta" }), afterDelete);
      await untilEmitted(t.system.ctx, afterDelete);
      expect(await deliveriesOf(afterDelete, "beta")).toEqual([]);
      expect(receiver.about(afterDelete)).toEqual([]);
    } finally {
      await t.api(`/v1/webhook-endpoints/${failedOnly.id}`, { method: "DELETE", tenant: "beta" });
      await t.api(`/v1/webhook-endpoints/${everything.id}`, { method: "DELETE", tenant: "beta" });
    }
  });
});

describe("the delivery log and manual replays", () => {
  it("logs every attempt, ends failed after the schedule, and a replay keeps the webhook-id", async () => {
    receiver.respond(500);
    try {
      receiver.script([{ status: 500, body: "x".repeat(5_000) }]);
      const id = await submit({ webhookUrl: receiver.url });
      const [pending] = await planned(id);
      expect(pending).toMatchObject({
        status: "pending",
        event: "job.succeeded",
        target: { webhook_url: true },
      });
      // Still being retried: a manual replay now is refused.
      const early = await t.api(`/v1/deliveries/${pending!.id}/retry`, { method: "POST" });
      expect(early.status).toBe(409);
      expect((await json(early)).code).toBe("delivery_pending");

      const [failed] = await settled(id);
      // WEBHOOK_RETRY_SCHEDULE of the test env has 5 entries: 5 attempts, then failed for good.
      expect(failed).toMatchObject({ status: "failed", last_error: "HTTP 500", job_id: id });
      expect(failed!.finished_at).not.toBeNull();
      expect(failed!.attempts).toHaveLength(5);
      for (const attempt of failed!.attempts) {
        expect(attempt).toMatchObject({ status: 500, ok: false, error: "HTTP 500", manual: false });
        expect(attempt.latency_ms).toBeGreaterThanOrEqual(0);
        expect(attempt.latency_ms).toBeLessThan(2_000);
      }
      // The receiver's answer is kept, truncated.
      expect(failed!.attempts[0].response).toBe("x".repeat(1_024));
      expect(failed!.attempts[1].response).toBe("ok");
      const times = failed!.attempts.map((a: any) => Date.parse(a.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const hooks = receiver.about(id);
      expect(hooks).toHaveLength(5);
      expect(new Set(hooks.map((h) => h.headers["webhook-id"]))).toEqual(new Set([failed!.webhook_id]));

      // Another tenant can neither see nor replay it.
      expect(
        (await t.api(`/v1/deliveries/${failed!.id}/retry`, { method: "POST", tenant: "beta" })).status,
      ).toBe(404);
      expect((await t.api(`/v1/jobs/${id}/deliveries`, { tenant: "beta" })).status).toBe(404);

      receiver.respond(200);
      const replay = await t.api(`/v1/deliveries/${failed!.id}/retry`, { method: "POST" });
      expect(replay.status).toBe(202);
      const [replayed] = await settled(id);
      expect(replayed).toMatchObject({ status: "succeeded", last_error: null });
      expect(replayed!.attempts).toHaveLength(6);
      expect(replayed!.attempts[5]).toMatchObject({ ok: true, status: 200, manual: true });
      const last = receiver.about(id).at(-1)!;
      expect(last.headers["webhook-id"]).toBe(failed!.webhook_id);
      expect(verify(last, await tenantSecret()).data.id).toBe(id);
      expect((await t.api(`/v1/deliveries/${replayed!.id}`)).status).toBe(200);
    } finally {
      receiver.respond(200);
    }
  });
});

describe("docs/webhooks.md", () => {
  /** Each `// file: name.mjs` block of the docs, written out as a module and imported. */
  async function snippet(name: string) {
    const docs = await readFile(join(import.meta.dirname, "..", "docs", "webhooks.md"), "utf8");
    const block = [...docs.matchAll(/```js\n([\s\S]*?)```/g)]
      .map((m) => m[1]!)
      .find((code) => code.startsWith(`// file: ${name}`));
    if (!block) throw new Error(`docs/webhooks.md has no block starting with "// file: ${name}"`);
    // The module lives in a temp dir: point its package import at this checkout's copy.
    const code = block.replace(
      `from "standardwebhooks"`,
      `from "${import.meta.resolve("standardwebhooks")}"`,
    );
    const file = join(tmpdir(), `facegate-doc-${process.pid}-${name}`);
    writeFileSync(file, code);
    return (await import(pathToFileURL(file).href)) as {
      verifyWebhook(secret: string, headers: Record<string, string>, body: string | Buffer): any;
    };
  }

  it("the Node snippets (standardwebhooks and plain node:crypto) verify a real delivery", async () => {
    const id = await submit({ webhookUrl: receiver.url });
    const [hook] = await receiver.waitAbout(id);
    const secret = await tenantSecret();
    const headers = hook!.headers as Record<string, string>;
    for (const name of ["verify-standardwebhooks.mjs", "verify-node-crypto.mjs"]) {
      const { verifyWebhook } = await snippet(name);
      expect(verifyWebhook(secret, headers, hook!.body).data.id).toBe(id);
      expect(verifyWebhook(secret, headers, Buffer.from(hook!.body)).type).toBe("job.succeeded");
      expect(() => verifyWebhook(secret, headers, hook!.body.replace(id, "job_forged"))).toThrow();
      expect(() => verifyWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers, hook!.body)).toThrow();
      const stale = { ...headers, "webhook-timestamp": String(Math.floor(Date.now() / 1000) - 3_600) };
      expect(() => verifyWebhook(secret, stale, hook!.body)).toThrow();
    }
  });
});
