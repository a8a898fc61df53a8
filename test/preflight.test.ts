import type { RemoteVendorId } from "@facegate/core";
import { type FaceFixture, faceFixture } from "@facegate/faces";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

/**
 * The face pre-flight end to end (docs/preflight.md): real photos through the API, the pre-flight
 * queue and the vendor simulator. What a vendor would refuse fails with the vendor never called;
 * under `auto` a small face goes to a vendor that takes it; batch items are checked on their own
 * queue, so a faceless photo fails while the vendor's queue has not moved at all.
 */

type Json = Record<string, any>;
const b64 = (name: FaceFixture) => ({ base64: faceFixture(name).toString("base64") });

describe("pre-flight on a job", () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t?.close();
  });

  const callsTo = (vendor: RemoteVendorId) => t.sim.calls({ vendor }).length;

  async function run(body: Json): Promise<Json> {
    const res = await t.postJson("/v1/jobs", body);
    const json = (await res.json()) as Json;
    expect(res.status, JSON.stringify(json)).toBe(202);
    return waitForFinal(t.api, json.id, 30_000);
  }

  const fusion = (target: FaceFixture, vendor: string, preflight = true) => ({
    operation: "face_fusion",
    vendor,
    inputs: { target: b64(target), template: b64("portraitA") },
    preflight,
  });

  it("refuses a faceless photo with no_face_detected and no vendor call", async () => {
    const before = callsTo("ailab");
    const job = await run(fusion("faceless", "ailab"));
    expect(job).toMatchObject({ status: "failed", attempts: 0, faces: [] });
    expect(job.error).toMatchObject({ code: "no_face_detected", vendor: null, retryable: false });
    expect(callsTo("ailab")).toBe(before);
  });

  it("without the pre-flight, the same photo goes to the vendor (which answers for it)", async () => {
    const before = callsTo("ailab");
    const job = await run(fusion("faceless", "ailab", false));
    expect(job.faces).toBeNull();
    expect(callsTo("ailab")).toBe(before + 1);
  });

  it("refuses a face under the named vendor's minimum with face_too_small", async () => {
    const before = callsTo("ailab");
    const job = await run(fusion("smallFace", "ailab"));
    expect(job.status).toBe("failed");
    expect(job.error.code).toBe("face_too_small");
    expect(job.error.message).toMatch(/needs at least 200 px/);
    expect(callsTo("ailab")).toBe(before);
  });

  it("under auto, routes a small face past the vendor that would refuse it", async () => {
    const before = callsTo("ailab");
    const job = await run(fusion("smallFace", "auto"));
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.vendor.used).not.toBe("ailab");
    expect(job.routing).toContainEqual(
      expect.objectContaining({
        vendor: "ailab",
        outcome: "skipped",
        reason: expect.stringMatching(/face_too_small/),
      }),
    );
    expect(callsTo("ailab")).toBe(before);
  });

  it("refuses more faces than slimming takes with too_many_faces", async () => {
    const before = callsTo("ailab");
    const job = await run({
      operation: "face_slimming",
      vendor: "ailab",
      inputs: { target: b64("crowd") },
      preflight: true,
    });
    expect(job.error?.code, JSON.stringify(job)).toBe("too_many_faces");
    expect(job.faces).toHaveLength(5);
    expect(callsTo("ailab")).toBe(before);
  });

  it("lets a good portrait through, with the face it found on the job", async () => {
    const before = callsTo("ailab");
    const job = await run(fusion("portraitB", "ailab"));
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    expect(job.faces).toHaveLength(1);
    expect(job.faces[0].width).toBeGreaterThan(120);
    expect(callsTo("ailab")).toBe(before + 1);
  });

  it("takes the flag as a multipart field too", async () => {
    const res = await t.api("/v1/jobs", {
      method: "POST",
      body: form(
        { operation: "face_fusion", vendor: "ailab", preflight: "true" },
        { target: faceFixture("faceless"), template: faceFixture("portraitA") },
      ),
    });
    expect(res.status).toBe(202);
    const job = await waitForFinal(t.api, ((await res.json()) as Json).id, 30_000);
    expect((job.error as Json).code).toBe("no_face_detected");
  });
});

describe("PREFLIGHT=faces on a batch", () => {
  let t: TestSystem;
  beforeAll(async () => {
    // This worker serves no vendor queue: whatever finishes, finished without a vendor.
    t = await startTestSystem({
      env: { PREFLIGHT: "faces", WORKER_QUEUES: "faces,batches,store,webhooks,maintenance" },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("checks items as they arrive: the faceless one fails while the good one waits for its vendor", async () => {
    const res = await t.postJson("/v1/batches", {
      operation: "face_fusion",
      vendor: "ailab",
      template: b64("portraitA"),
      items: [
        { inputs: { target: b64("portraitB") }, name: "good" },
        { inputs: { target: b64("faceless") }, name: "sofa" },
      ],
    });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as Json;
    const jobs = async () =>
      ((await (await t.api(`/v1/batches/${batch.id}/jobs`)).json()) as Json).data as Json[];
    let settled: Json[] = [];
    await until(
      async () => {
        settled = await jobs();
        return settled.length === 2 && settled.every((j) => j.faces !== null);
      },
      60_000,
      "both items checked",
    );
    const failed = settled.filter((j) => j.status === "failed");
    const waiting = settled.filter((j) => j.status === "queued");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error.code).toBe("no_face_detected");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.faces).toHaveLength(1);
    expect(t.sim.calls()).toHaveLength(0);
  });
});
