import { afterAll, beforeAll, expect, it } from "vitest";
import { face } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { expectNormalJobSucceeds, expectStillUp, files, type Json, waitCompleted } from "./support";

/*
 * A batch's result zip whose outputs vanished from storage between the listing and the download
 * (deleted by hand, a retention sweep racing the download): the download is cut off — a client
 * never gets a zip with a hole passed off as whole — and the process keeps serving.
 */

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

it("an output missing from storage cuts the download off; the server keeps serving", async () => {
  const template = await face(220);
  const res = await t.api("/v1/batches", {
    method: "POST",
    body: files({ operation: "face_fusion", vendor: "ailab" }, [
      ["template", template, "t.jpg"],
      ["targets", await face(40), "a.jpg"],
      ["targets", await face(80), "b.jpg"],
    ]),
  });
  expect(res.status).toBe(202);
  const batch = await waitCompleted(t, ((await res.json()) as Json).id);
  expect(batch.counts).toMatchObject({ total: 2, succeeded: 2 });
  await t.system.ctx.store.deletePrefix("outputs/acme");

  const download = await t.api(`/v1/batches/${batch.id}/output`);
  // Headers went out before the first output was read: the failure shows as a broken body.
  await expect(download.arrayBuffer()).rejects.toThrow();
  await expectStillUp(t);
  await expectNormalJobSucceeds(t, await face(120), template);
});
