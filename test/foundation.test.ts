import { readDigitalSourceType } from "@facegate/images";
import sharp from "sharp";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blank, face, form, waitForFinal } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";

let t: TestSystem;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: receiver.hostPort } });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, any>;
}

describe("a face-fusion job, end to end", () => {
  it("goes from a multipart upload to a stored, marked result and a signed webhook", async () => {
    const res = await t.api("/v1/jobs", {
      method: "POST",
      body: form(
        {
          operation: "face_fusion",
          vendor: "ailab",
          webhook_url: receiver.url,
          metadata: '{"order":"A-17"}',
        },
        { target: await face(30), template: await face(210, { width: 480, height: 600 }) },
      ),
    });
    expect(res.status).toBe(202);
    const created = await json(res);
    expect(res.headers.get("location")).toBe(`/v1/jobs/${created.id}`);
    expect(created).toMatchObject({
      status: "queued",
      operation: "face_fusion",
      metadata: { order: "A-17" },
    });

    const job = await waitForFinal((p) => t.api(p), created.id);
    expect(job).toMatchObject({
      status: "succeeded",
      vendor: { requested: "ailab", used: "ailab" },
      attempts: 1,
    });
    const output = job.output as Record<string, any>;
    expect(output).toMatchObject({ content_type: "image/jpeg", width: 480, height: 600 });

    // GET …/output redirects to a presigned URL serving a viewable JPEG that says it is AI-generated.
    const redirect = await t.api(`/v1/jobs/${created.id}/output`);
    expect(redirect.status).toBe(302);
    const image = Buffer.from(await (await fetch(redirect.headers.get("location")!)).arrayBuffer());
    expect(image.length).toBe(output.bytes);
    const meta = await sharp(image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 480, 600]);
    expect(readDigitalSourceType(image)).toBe(
      "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia",
    );
    expect(meta.exif).toBeUndefined();

    // The webhook verifies with the tenant's secret, using the standardwebhooks package.
    const [hook] = await receiver.waitFor(1);
    const { secret } = await json(await t.api("/v1/webhook-secret"));
    const payload = new Webhook(secret).verify(hook!.body, hook!.headers as Record<string, string>) as Record<
      string,
      any
    >;
    expect(payload.type).toBe("job.succeeded");
    expect(payload.data).toMatchObject({ id: created.id, status: "succeeded", metadata: { order: "A-17" } });
    expect(payload.data.output.url).toMatch(/^http/);

    // Inputs are gone once the job is final (deleted with the next batch, after its events are queued).
    await expect
      .poll(() => t.system.ctx.store.list(`inputs/acme/${created.id}`), { timeout: 5_000 })
      .toEqual([]);
  });

  it("accepts JSON with base64 inputs and answers 200 when done within Prefer: wait", async () => {
    const res = await t.api("/v1/jobs", {
      method: "POST",
      headers: { "content-type": "application/json", prefer: "wait=20" },
      body: JSON.stringify({
        operation: "face_fusion",
        vendor: "ailab",
        inputs: {
          target: { base64: (await face(60)).toString("base64") },
          template: { base64: (await face(90)).toString("base64") },
        },
        params: { source_similarity: 0.7 },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("wait=20");
    expect(await json(res)).toMatchObject({ status: "succeeded", params: { source_similarity: 0.7 } });
  });

  it("answers an idempotent replay of a finished job 200, with Preference-Applied only when a wait was asked", async () => {
    const create = async (prefer?: string) =>
      t.api("/v1/jobs", {
        method: "POST",
        headers: { "idempotency-key": "replay-finished", ...(prefer ? { prefer } : {}) },
        body: form(
          { operation: "face_fusion", vendor: "ailab" },
          { target: await face(60), template: await face(90) },
        ),
      });
    const first = await create("wait=20");
    expect(first.status).toBe(200);
    const { id } = await json(first);
    const replayed = await create("wait=5");
    expect([replayed.status, replayed.headers.get("preference-applied")]).toEqual([200, "wait=5"]);
    expect((await json(replayed)).id).toBe(id);
    const plain = await create();
    expect([plain.status, plain.headers.get("preference-applied")]).toEqual([200, null]);
    expect((await json(plain)).id).toBe(id);
  });

  it("fails a job whose face the vendor cannot find, with the normalised code", async () => {
    const res = await t.api("/v1/jobs", {
      method: "POST",
      headers: { prefer: "wait=20" },
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await blank(), template: await face(120) },
      ),
    });
    const job = await json(res);
    expect(job.status).toBe("failed");
    expect(job.error).toMatchObject({
      code: "no_face_detected",
      vendor: "ailab",
      vendor_code: "ERROR_NO_FACE_IN_FILE",
      retryable: false,
    });
  });
});

describe("bad input is refused with a 4xx problem and leaves nothing behind", () => {
  const cases: [string, () => Promise<RequestInit>, number, string][] = [
    [
      "missing template",
      async () => ({ body: form({ operation: "face_fusion", vendor: "ailab" }, { target: await face() }) }),
      422,
      "validation_failed",
    ],
    [
      "not an image",
      async () => ({
        body: form(
          { operation: "face_fusion", vendor: "ailab" },
          { target: Buffer.from("hello, not an image"), template: await face() },
        ),
      }),
      422,
      "invalid_image",
    ],
    [
      // The inputs are stored side by side: the target's upload is still discarded.
      "JSON with a good target and a template that is not an image",
      async () => ({
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          operation: "face_fusion",
          vendor: "ailab",
          inputs: {
            target: { base64: (await face(40)).toString("base64") },
            template: { base64: Buffer.from("hello, not an image").toString("base64") },
          },
        }),
      }),
      422,
      "invalid_image",
    ],
    [
      "truncated image",
      async () => {
        const whole = await face(40);
        return {
          body: form(
            { operation: "face_fusion", vendor: "ailab" },
            { target: whole.subarray(0, Math.floor(whole.length * 0.6)), template: await face() },
          ),
        };
      },
      422,
      "invalid_image",
    ],
    [
      "unknown operation",
      async () => ({
        body: form(
          { operation: "face_melt", vendor: "ailab" },
          { target: await face(), template: await face() },
        ),
      }),
      422,
      "validation_failed",
    ],
    [
      "unknown vendor",
      async () => ({
        body: form(
          { operation: "face_fusion", vendor: "acme" },
          { target: await face(), template: await face() },
        ),
      }),
      422,
      "validation_failed",
    ],
    [
      "source_similarity out of range",
      async () => ({
        body: form(
          { operation: "face_fusion", vendor: "ailab", params: '{"source_similarity":1.5}' },
          { target: await face(), template: await face() },
        ),
      }),
      422,
      "validation_failed",
    ],
    [
      "malformed JSON",
      async () => ({ headers: { "content-type": "application/json" }, body: '{"operation": "face_fusion",' }),
      400,
      "malformed_json",
    ],
    [
      "wrong content type",
      async () => ({ headers: { "content-type": "text/plain" }, body: "operation=face_fusion" }),
      415,
      "unsupported_media_type",
    ],
    [
      "oversize JSON body",
      async () => ({
        headers: { "content-type": "application/json" },
        body: `{"x":"${"a".repeat(65 * 1024 * 1024)}"}`,
      }),
      413,
      "payload_too_large",
    ],
  ];

  for (const [name, make, status, code] of cases) {
    it(name, async () => {
      const before = await t.system.ctx.records.openCount("acme");
      // Earlier jobs' inputs may still await their deletion: the request must add none.
      const storedBefore = new Set(await t.system.ctx.store.list("inputs/"));
      const res = await t.api("/v1/jobs", { method: "POST", ...(await make()) });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = await json(res);
      expect(problem).toMatchObject({ status, code });
      expect(typeof problem.detail).toBe("string");
      expect(await t.system.ctx.records.openCount("acme")).toBe(before);
      const added = (await t.system.ctx.store.list("inputs/")).filter((key) => !storedBefore.has(key));
      expect(added).toEqual([]);
    });
  }

  it("names the failing field", async () => {
    const res = await t.postJson("/v1/jobs", {
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: { url: 5 } },
    });
    const problem = await json(res);
    expect(res.status).toBe(422);
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain("inputs.target");
  });

  it("wants an API key", async () => {
    const res = await fetch(`${t.url}/v1/jobs`, { method: "POST" });
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe("unauthorized");
  });
});
