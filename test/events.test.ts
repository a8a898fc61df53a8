import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchForm, face, form, waitForFinal } from "./support/images";
import { submitFusion } from "./support/jobs";
import { readEvents, type SseEvent } from "./support/sse";
import { startTestSystem, type TestSystem } from "./support/system";

let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem({ env: { JOB_ATTEMPTS: "3" } });
});
afterAll(async () => {
  await t?.close();
});

type Json = Record<string, any>;

async function createJob(vendor = "ailab", tenant: "acme" | "beta" = "acme"): Promise<Json> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    tenant,
    body: form({ operation: "face_fusion", vendor }, { target: await face(20), template: await face(220) }),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as Json;
}

/**
 * Follow a new job from its start: the vendor's queue is paused until the stream has said
 * `queued`, so the stream sees every step.
 */
async function followNewJob(): Promise<{ job: Json; events: SseEvent[] }> {
  const queue = t.system.ctx.queues.get("vendor-ailab");
  await queue.pause();
  const job = await createJob();
  const res = await t.api(`/v1/jobs/${job.id}/events`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  const { events } = await readEvents(res, (event) => {
    if (event.event === "queued") void queue.resume();
  });
  return { job, events };
}

describe("GET /v1/jobs/{id}/events", () => {
  it("streams a job from queued or running to its final state, then ends", async () => {
    const { job, events } = await followNewJob();
    expect(events.map((e) => e.event)).toEqual(["queued", "running", "attempt", "succeeded"]);
    expect(events.find((e) => e.event === "attempt")?.data).toMatchObject({
      job_id: job.id,
      attempt: 1,
      vendor: "ailab",
    });
    // The final event carries the whole job, as GET /v1/jobs/{id} shows it.
    expect(events.at(-1)?.data).toMatchObject({ id: job.id, status: "succeeded", attempts: 1 });
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_e, i) => i + 1));
  });

  it("reports a failed attempt with the vendor's answer, the retry, and the final failure", async () => {
    t.sim.configure("ailab", {
      script: [{ fault: "transient" }, { code: "ERROR_NO_FACE_IN_FILE" }],
    });
    const { events } = await followNewJob();
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === "attempt")).toHaveLength(2);
    const failedAttempt = events.find((e) => e.event === "attempt_failed");
    expect(failedAttempt?.data).toMatchObject({ attempt: 1, retryable: true, vendor: "ailab" });
    expect(names.indexOf("attempt_failed")).toBeLessThan(names.lastIndexOf("attempt"));
    expect(events.at(-1)).toMatchObject({
      event: "failed",
      data: { status: "failed", attempts: 2, error: { code: "no_face_detected" } },
    });
  });

  it("tells of a rate-limit wait", async () => {
    t.sim.configure("ailab", { script: [{ code: "EXCEEDING_LIMITS" }] });
    const { events } = await followNewJob();
    expect(events.find((e) => e.event === "rate_limited")?.data).toMatchObject({
      vendor: "ailab",
      by: "vendor",
      wait_ms: expect.any(Number),
    });
    expect(events.at(-1)?.event).toBe("succeeded");
  });

  it("gives a job already final its final event at once", async () => {
    const job = await createJob();
    await waitForFinal(t.api, job.id);
    const { events } = await readEvents(await t.api(`/v1/jobs/${job.id}/events`));
    expect(events.map((e) => e.event)).toEqual(["succeeded"]);
  });

  it("is a 404 for another tenant's job and for no job at all, before any stream opens", async () => {
    const job = await createJob("ailab", "beta");
    for (const path of [`/v1/jobs/${job.id}/events`, "/v1/jobs/job_0000000000000000000000000000a/events"]) {
      const res = await t.api(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(await res.json()).toMatchObject({ code: "not_found" });
    }
    const anonymous = await fetch(`${t.url}/v1/jobs/${job.id}/events`);
    expect(anonymous.status).toBe(401);
  });
});

describe("GET /v1/batches/{id}/events", () => {
  it("streams a batch's counts as they change, then the completed batch", async () => {
    const queue = t.system.ctx.queues.get("vendor-ailab");
    await queue.pause();
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", await face(200), "template.jpg"],
        ["targets", await face(10), "a.jpg"],
        ["targets", await face(40), "b.jpg"],
        ["targets", Buffer.from("not a photo"), "c.jpg"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as Json;
    const stream = await t.api(`/v1/batches/${batch.id}/events`);
    expect(stream.status).toBe(200);
    // Held until the stream has shown the batch waiting, so it sees the counts move.
    const { events } = await readEvents(stream, (event) => {
      if (event.event === "progress") void queue.resume();
    });
    expect(events[0]).toMatchObject({ event: "progress", data: { counts: { succeeded: 0 } } });
    expect(events.at(-1)).toMatchObject({
      event: "completed",
      data: { id: batch.id, counts: { total: 3, succeeded: 2, failed: 1 }, progress: 1 },
    });
    const done = events.map((e) => e.data.counts.succeeded + e.data.counts.failed);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const foreign = await t.api(`/v1/batches/${batch.id}/events`, { tenant: "beta" });
    expect(foreign.status).toBe(404);
  });
});

describe("event streams when the API stops", () => {
  it("end cleanly, so the server's graceful close is not held up by them", async () => {
    const own = await startTestSystem();
    let closed = false;
    try {
      await own.system.ctx.queues.get("vendor-ailab").pause();
      const job = await submitFusion(own, 20, { templateHue: 220 });
      const res = await own.api(`/v1/jobs/${job.id}/events`);
      let opened!: () => void;
      const queued = new Promise<void>((r) => {
        opened = r;
      });
      // A stream cut by the server's forced close would reject here ("terminated").
      const read = readEvents(res, (event) => event.event === "queued" && opened());
      await queued;
      closed = true;
      await own.close();
      const { events } = await read;
      expect(events.map((e) => e.event)).toEqual(["queued"]);
    } finally {
      if (!closed) await own.close();
    }
  });
});
