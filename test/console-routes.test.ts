import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchForm, face, form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

/** Routes added for the web console, open to every client: batch listing and thumbnails. */
let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

type Json = Record<string, any>;

describe("GET /v1/batches", () => {
  it("lists the tenant's own batches newest first, a page at a time", async () => {
    const ids: string[] = [];
    for (const hue of [10, 60, 110]) {
      const res = await t.api("/v1/batches", {
        method: "POST",
        body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
          ["template", await face(200), "template.jpg"],
          ["targets", await face(hue), "a.jpg"],
        ]),
      });
      ids.push(((await res.json()) as Json).id);
    }
    const first = (await (await t.api("/v1/batches?limit=2")).json()) as Json;
    expect(first.data.map((b: Json) => b.id)).toEqual([ids[2], ids[1]]);
    expect(first.next_cursor).toBe(ids[1]);
    const second = (await (await t.api(`/v1/batches?limit=2&cursor=${first.next_cursor}`)).json()) as Json;
    expect(second.data.map((b: Json) => b.id)).toEqual([ids[0]]);
    expect(second.next_cursor).toBeNull();

    const other = (await (await t.api("/v1/batches", { tenant: "beta" })).json()) as Json;
    expect(other.data.map((b: Json) => b.id)).not.toContain(ids[0]);
    const bad = await t.api("/v1/batches?cursor=nope");
    expect(bad.status).toBe(422);
  });
});

describe("GET /v1/jobs/{id}/thumbnails/{role}", () => {
  it("previews the inputs while the job runs and the result once it succeeded", async () => {
    const queue = t.system.ctx.queues.get("vendor-ailab");
    await queue.pause();
    try {
      const res = await t.api("/v1/jobs", {
        method: "POST",
        body: form(
          { operation: "face_fusion", vendor: "ailab" },
          { target: await face(30, { width: 800, height: 1000 }), template: await face(200) },
        ),
      });
      const job = (await res.json()) as Json;
      const target = await t.api(`/v1/jobs/${job.id}/thumbnails/target`);
      expect(target.status).toBe(200);
      expect(target.headers.get("content-type")).toBe("image/jpeg");
      const meta = await sharp(Buffer.from(await target.arrayBuffer())).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBe(360);
      expect((await t.api(`/v1/jobs/${job.id}/thumbnails/template`)).status).toBe(200);
      const early = await t.api(`/v1/jobs/${job.id}/thumbnails/result`);
      expect(early.status).toBe(409);
      expect(await early.json()).toMatchObject({ code: "no_output" });

      await queue.resume();
      await waitForFinal(t.api, job.id);
      const result = await t.api(`/v1/jobs/${job.id}/thumbnails/result`);
      expect(result.status).toBe(200);
      expect(result.headers.get("content-type")).toBe("image/jpeg");
      // Inputs are gone once the job is final; the preview says so.
      const gone = await t.api(`/v1/jobs/${job.id}/thumbnails/target`);
      expect(gone.status).toBe(410);
      expect(await gone.json()).toMatchObject({ code: "input_deleted" });

      expect((await t.api(`/v1/jobs/${job.id}/thumbnails/result`, { tenant: "beta" })).status).toBe(404);
      expect((await t.api(`/v1/jobs/${job.id}/thumbnails/face`)).status).toBe(404);
      await t.api(`/v1/jobs/${job.id}`, { method: "DELETE" });
      const erased = await t.api(`/v1/jobs/${job.id}/thumbnails/result`);
      expect(erased.status).toBe(410);
      expect(await erased.json()).toMatchObject({ code: "erased" });
    } finally {
      await queue.resume();
    }
  });
});
