import { readDigitalSourceType } from "@facegate/images";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { expectProblem, type Json, waitCompleted } from "./support";

/*
 * Faces do not linger. Inputs go once their job is final; DELETE erases inputs, output and
 * payload at once (for a job and for a whole batch); outputs carry AI-generated marking and no
 * EXIF; and past OUTPUT_RETENTION_DAYS the retention sweep deletes an output, after which the API
 * hands out no link to it. Retention is set to its smallest value here, 0.0001 days (8.64 s).
 */

const RETENTION_DAYS = 0.0001;

let t: TestSystem;
let template: Buffer;
/** Jobs finished at the start, whose outputs the sweep deletes at the end. */
let aging: Json;
let outlived: Json;

beforeAll(async () => {
  t = await startTestSystem({ env: { OUTPUT_RETENTION_DAYS: String(RETENTION_DAYS) } });
  template = await face(220);
  aging = await run(await face(10));
  outlived = await run(await face(20));
});
afterAll(async () => {
  await t?.close();
});

async function run(target: Buffer, fields: Record<string, string> = {}): Promise<Json> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    body: form({ operation: "face_fusion", vendor: "ailab", ...fields }, { target, template }),
  });
  expect(res.status).toBe(202);
  const job = (await waitForFinal((p) => t.api(p), ((await res.json()) as Json).id)) as Json;
  expect(job.status).toBe("succeeded");
  return job;
}

const stored = (area: string, id: string) => t.system.ctx.store.list(`${area}/acme/${id}/`);

describe("privacy", () => {
  it("deletes a job's inputs once it is final, and marks its output as AI-generated without EXIF", async () => {
    const phone = await sharp(await face(50))
      .withExif({
        IFD0: { Make: "Phone", Model: "Camera 9" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "52/1 31/1 12/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "13/1 24/1 0/1",
        },
      })
      .jpeg()
      .toBuffer();
    expect(phone.includes(Buffer.from("GPS"))).toBe(false); // sharp writes tags, not names…
    expect((await sharp(phone).metadata()).exif).toBeDefined(); // …but the EXIF is there
    const job = await run(phone);
    // Deleted with the next batch after the job's events go out: a moment after it reads as final.
    const deadline = Date.now() + 5_000;
    while ((await stored("inputs", job.id)).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(await stored("inputs", job.id)).toEqual([]);
    const output = Buffer.from(await (await fetch(job.output.url)).arrayBuffer());
    expect((await sharp(output).metadata()).exif).toBeUndefined();
    expect(readDigitalSourceType(output)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
  });

  it("DELETE /v1/jobs/{id} erases output and payload at once; the id stays as a tombstone", async () => {
    const job = await run(await face(70), { metadata: '{"guest":"Ada Lovelace"}', webhook_url: "" });
    expect(await stored("outputs", job.id)).toHaveLength(1);
    const erased = (await (await t.api(`/v1/jobs/${job.id}`, { method: "DELETE" })).json()) as Json;
    expect(erased).toMatchObject({ id: job.id, status: "succeeded", output: null, metadata: {}, params: {} });
    expect(erased.erased_at).not.toBeNull();
    for (const area of ["inputs", "outputs", "vendor-results"])
      expect(await stored(area, job.id), area).toEqual([]);
    await expectProblem(await t.api(`/v1/jobs/${job.id}/output`), 410, "erased");
    const record = await t.system.ctx.records.get(job.id);
    expect(JSON.stringify(record)).not.toContain("Ada Lovelace");
    // The link handed out before the erasure leads nowhere now.
    expect((await fetch(job.output.url)).status).toBe(404);
  });

  it("DELETE /v1/batches/{id} erases every item", async () => {
    const res = await t.postJson("/v1/batches", {
      operation: "face_fusion",
      vendor: "ailab",
      template: { base64: template.toString("base64") },
      items: await Promise.all(
        [90, 130].map(async (hue) => ({
          inputs: { target: { base64: (await face(hue)).toString("base64") } },
          metadata: { guest: `g${hue}` },
        })),
      ),
    });
    const batch = await waitCompleted(t, ((await res.json()) as Json).id);
    const ids = ((await (await t.api(`/v1/batches/${batch.id}/jobs`)).json()) as Json).data.map(
      (j: Json) => j.id,
    );
    expect(ids).toHaveLength(2);
    expect((await t.api(`/v1/batches/${batch.id}`, { method: "DELETE" })).status).toBe(202);
    const deadline = Date.now() + 10_000;
    let jobs: Json[] = [];
    while (Date.now() < deadline) {
      jobs = ((await (await t.api(`/v1/batches/${batch.id}/jobs`)).json()) as Json).data;
      if (jobs.every((j) => j.erased_at !== null)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(
      jobs.every((j) => j.erased_at !== null && j.output === null && Object.keys(j.metadata).length === 0),
    ).toBe(true);
    for (const id of ids) expect(await stored("outputs", id)).toEqual([]);
    expect(await t.system.ctx.store.list(`batches/acme/${batch.id}/`)).toEqual([]);
  });

  it("past OUTPUT_RETENTION_DAYS the sweep deletes the output, and the job record expires with it", async () => {
    for (const job of [aging, outlived]) expect(await stored("outputs", job.id)).toHaveLength(1);
    expect(Date.parse(aging.output.retained_until) - Date.parse(aging.finished_at)).toBeLessThanOrEqual(
      RETENTION_DAYS * 86_400_000 + 1_000,
    );
    // A record kept longer than its output (a clock running ahead somewhere) must not lead to it.
    await t.system.ctx.redis.persist(t.system.ctx.keys.job(outlived.id));
    const last = Math.max(...[aging, outlived].map((j) => Date.parse(j.output.retained_until)));
    // Waiting out the retention period is the thing under test: the sweep must find it past.
    await new Promise((r) => setTimeout(r, Math.max(0, last - Date.now() + 200)));

    // Run the maintenance job as the scheduler would (it runs every few minutes on its own).
    await t.system.ctx.queues.add("maintenance", "sweep-retention", {});
    const deadline = Date.now() + 10_000;
    const left = async () => [
      ...(await stored("outputs", aging.id)),
      ...(await stored("outputs", outlived.id)),
    ];
    while ((await left()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await left()).toEqual([]);

    await expectProblem(await t.api(`/v1/jobs/${aging.id}`), 404, "not_found");
    await expectProblem(await t.api(`/v1/jobs/${aging.id}/output`), 404, "not_found");
    expect((await fetch(aging.output.url)).status).not.toBe(200);

    const kept = (await (await t.api(`/v1/jobs/${outlived.id}`)).json()) as Json;
    expect(kept).toMatchObject({ status: "succeeded", output: null });
    await expectProblem(await t.api(`/v1/jobs/${outlived.id}/output`), 410, "output_expired");
  });
});
