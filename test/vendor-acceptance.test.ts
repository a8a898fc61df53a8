import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, type Json, waitCompleted } from "./hostile/support";
import { batchForm, face, form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

/*
 * What each vendor accepts decides where a job goes and whether it is taken at all: an image no
 * vendor able to do the request can take (pixel bounds, from its header) is refused at once with
 * 422; under `auto` a vendor whose limits an image misses is passed over, and a black-and-white
 * photo AILab refuses goes to a vendor that takes it. "This vendor does not take this image"
 * (`image_not_accepted`) is told apart from "this is not an image" (`invalid_image`).
 */

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 90 } } })
    .png()
    .toBuffer();
const grey = async () =>
  sharp(await face(30))
    .grayscale()
    .jpeg()
    .toBuffer();

async function create(fields: Record<string, string>, files: Record<string, Buffer>) {
  return t.api("/v1/jobs", { method: "POST", body: form(fields, files) });
}

describe("refused at the API from the image's header", () => {
  it("a 10×10 PNG is a 422 image_too_small at create, under auto and with a named vendor", async () => {
    const tiny = await png(10, 10);
    for (const vendor of ["auto", "ailab", "aigs"]) {
      const body = await expectProblem(
        await create({ operation: "face_fusion", vendor }, { target: tiny, template: await face(220) }),
        422,
        "image_too_small",
      );
      expect(body.detail).toMatch(/10×10 pixels/);
    }
    const slim = await expectProblem(
      await create({ operation: "face_slimming" }, { target: tiny }),
      422,
      "image_too_small",
    );
    expect(slim.detail).toMatch(
      /ailab cannot take the target image: 10×10 pixels; each side must be at least 129/,
    );
    // Nothing was queued or stored for it.
    expect(((await (await t.api("/v1/jobs")).json()) as Json).data).toEqual([]);
  });

  it("a picture too elongated to fit any vendor once shrunk is refused too", async () => {
    // 60×5000: AILab wants 129+, ai-gs shrinks it to 2048 long (short side 25 < 50), Tencent to
    // 4095 long (short side 49 < 65).
    await expectProblem(
      await create({ operation: "face_fusion" }, { target: await png(60, 5000), template: await face(220) }),
      422,
      "image_too_small",
    );
  });

  it("under auto, an image only some vendors take goes to one of them, and the job says why", async () => {
    // 100 px: below AILab's 129 px minimum, within ai-gs's (50) and Tencent's (65).
    const res = await create(
      { operation: "face_fusion", vendor: "auto" },
      { target: await face(40, { width: 100, height: 100 }), template: await face(220) },
    );
    expect(res.status).toBe(202);
    const created = (await res.json()) as Json;
    expect(created.vendor.used).not.toBe("ailab");
    expect(created.routing).toContainEqual(
      expect.objectContaining({
        vendor: "ailab",
        outcome: "skipped",
        reason: expect.stringMatching(/at least 129/),
      }),
    );
    const done = (await waitForFinal(t.api, created.id)) as Json;
    expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
  });

  it("a batch item no vendor can take fails at once with image_too_small; the others run", async () => {
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", await face(220), "poster.jpg"],
        ["targets", await face(40), "anna.jpg"],
        ["targets", await png(10, 10), "dot.png"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = (await res.json()) as Json;
    expect((await waitCompleted(t, batch.id)).counts).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    const list = ((await (await t.api(`/v1/batches/${batch.id}/jobs`)).json()) as Json).data as Json[];
    const failed = list.find((j) => j.status === "failed")!;
    expect(failed.error).toMatchObject({ code: "image_too_small", retryable: false });
    // Decided from its header when the batch was expanded, not by a worker after a wait in line.
    expect(failed.error.message).toMatch(/^ailab cannot take the target image: 10×10 pixels/);
  });
});

describe("a black-and-white photo", () => {
  it("with AILab named: image_not_accepted, naming the vendor, not the code of a file that is no image", async () => {
    const res = await create(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await grey(), template: await face(220) },
    );
    expect(res.status).toBe(202);
    const done = (await waitForFinal(t.api, ((await res.json()) as Json).id)) as Json;
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "image_not_accepted", retryable: false });
    expect(done.error.message).toMatch(/black-and-white images are not accepted by ailab/);
    // A text file is another thing: not an image at all, refused at once.
    const text = await expectProblem(
      await create(
        { operation: "face_fusion", vendor: "ailab" },
        { target: Buffer.from("hello"), template: await face(220) },
      ),
      422,
      "invalid_image",
    );
    expect(text.detail).not.toMatch(/accepted/);
  });

  it("under auto goes past AILab to a vendor that takes it, without a call to AILab", async () => {
    const ailabCalls = t.sim.calls({ vendor: "ailab" }).length;
    const res = await create(
      { operation: "face_fusion", vendor: "auto" },
      { target: await grey(), template: await face(220) },
    );
    expect(res.status).toBe(202);
    const done = (await waitForFinal(t.api, ((await res.json()) as Json).id)) as Json;
    expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
    expect(done.vendor.used).not.toBe("ailab");
    expect(done.routing).toContainEqual(
      expect.objectContaining({
        vendor: "ailab",
        outcome: "failed_over",
        reason: expect.stringMatching(/black-and-white/),
      }),
    );
    expect(t.sim.calls({ vendor: "ailab" }).length).toBe(ailabCalls);
  });
});

describe("a photo's colour, looked at while it is stored when a vendor of the job needs it", () => {
  const stored = async (id: string) => (await t.system.ctx.records.get(id))!.inputs;

  it("multipart with the fields first: AILab's target is looked at, its template (colour not needed) is not", async () => {
    const res = await create(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await face(30), template: await face(220) },
    );
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Json;
    const inputs = await stored(id);
    expect(inputs.target?.colour).toBe(true);
    expect(inputs.template?.colour).toBeUndefined();
    expect(((await waitForFinal(t.api, id)) as Json).status).toBe("succeeded");
  });

  it("JSON: a black-and-white photo stored with its verdict fails as before; for ai-gs nothing is looked at", async () => {
    const inputs = {
      target: { base64: (await grey()).toString("base64") },
      template: { base64: (await face(220)).toString("base64") },
    };
    const ailab = await t.postJson("/v1/jobs", { operation: "face_fusion", vendor: "ailab", inputs });
    expect(ailab.status).toBe(202);
    const { id } = (await ailab.json()) as Json;
    expect((await stored(id)).target).toMatchObject({ colour: false });
    const done = (await waitForFinal(t.api, id)) as Json;
    expect(done.error).toMatchObject({ code: "image_not_accepted" });
    expect(done.error.message).toMatch(/black-and-white images are not accepted by ailab/);

    const aigs = await t.postJson("/v1/jobs", { operation: "face_fusion", vendor: "aigs", inputs });
    expect(aigs.status).toBe(202);
    const other = (await aigs.json()) as Json;
    expect((await stored(other.id)).target?.colour).toBeUndefined();
  });
});
