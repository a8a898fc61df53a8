import type { ImageLimits, Operation, RemoteVendorId } from "@facegate/core";
import { normaliseForVendor, readDigitalSourceType } from "@facegate/images";
import { closeAdapters, createAdapters } from "@facegate/vendors";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PHONE_EXIF } from "../packages/images/src/test-images";
import { sha256, toBmp } from "./contract/support";
import { face, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

/**
 * Inputs are normalised to each vendor's limits before the call:
 * an oversized, rotated phone photo with GPS EXIF, a PNG over the byte limit and a BMP all go
 * through, and the vendor receives bytes within its limits and without EXIF.
 *
 * The simulator logs the SHA-256 of the target it received. Normalisation is deterministic, so the
 * test normalises the same upload with the same limits itself: equal hashes prove the simulator got
 * exactly those bytes, whose size, pixels and metadata the test can then inspect.
 */

let t: TestSystem;
let adapters: ReturnType<typeof createAdapters>;

beforeAll(async () => {
  t = await startTestSystem();
  // The same adapters the worker built from the same config: asked only for their limits.
  adapters = createAdapters(t.system.ctx.config.vendors);
});
afterAll(async () => {
  if (adapters) await closeAdapters(adapters);
  await t?.close();
});

type Json = Record<string, any>;

function limitsOf(vendor: RemoteVendorId, operation: Operation, role: "target" | "template"): ImageLimits {
  return adapters.get(vendor)!.limits(operation, role);
}

async function submit(body: Json): Promise<Json> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    headers: { "content-type": "application/json", prefer: "wait=30" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  const job = (await res.json()) as Json;
  return job.status === "queued" || job.status === "running" ? waitForFinal(t.api, job.id) : job;
}

async function storedOutput(job: Json): Promise<Buffer> {
  expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
  const redirect = await t.api(`/v1/jobs/${job.id}/output`);
  return Buffer.from(await (await fetch(redirect.headers.get("location")!)).arrayBuffer());
}

/** The bytes the worker sent for this upload: normalised here the same way, matched by hash. */
async function sentBytes(vendor: RemoteVendorId, operation: Operation, upload: Buffer, since: number) {
  const limits = limitsOf(vendor, operation, "target");
  const expected = await normaliseForVendor(upload, limits, {
    maxPixels: t.system.ctx.config.api.maxImagePixels,
  });
  const received = t.sim.calls({ vendor, since }).map((c) => c.targetSha256);
  expect(received).toContain(sha256(expected.bytes));
  return { bytes: expected.bytes, limits };
}

async function expectWithin(bytes: Buffer, limits: ImageLimits) {
  const meta = await sharp(bytes).metadata();
  expect(bytes.length).toBeLessThanOrEqual(limits.maxBytes);
  expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(limits.maxSide);
  expect(Math.min(meta.width!, meta.height!)).toBeGreaterThanOrEqual(limits.minSide);
  expect(limits.formats).toContain(meta.format);
  expect(meta.exif).toBeUndefined();
  expect(meta.orientation ?? 1).toBe(1);
  return meta;
}

describe("inputs are normalised to the vendor's limits before the call", () => {
  it("a 2600×1800 phone JPEG turned by EXIF (orientation 6) and carrying GPS, to ai-gs (≤ 2048 px)", async () => {
    const photo = await sharp(await face(35, { width: 2600, height: 1800 }))
      .withMetadata({ orientation: 6 })
      .withExif(PHONE_EXIF)
      .jpeg({ quality: 92 })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const since = Date.now();

    const job = await submit({
      operation: "face_fusion",
      vendor: "aigs",
      inputs: {
        target: { base64: photo.toString("base64") },
        template: { base64: (await face(200)).toString("base64") },
      },
    });
    const out = await storedOutput(job);

    const sent = await sentBytes("aigs", "face_fusion", photo, since);
    const meta = await expectWithin(sent.bytes, sent.limits);
    // Turned upright first (portrait), then shrunk so the long side fits.
    expect([meta.width, meta.height]).toEqual([Math.round((1800 * 2048) / 2600), 2048]);
    expect(sent.bytes.includes(Buffer.from("GPS"))).toBe(false);

    const outMeta = await sharp(out).metadata();
    expect(outMeta.exif).toBeUndefined();
    expect(readDigitalSourceType(out)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
  });

  it("a 6 MB PNG to AILab's emotion editor (≤ 5 MB) arrives re-encoded as a JPEG within the limit", async () => {
    // Stored without compression, so the file is as large as its pixels: 1500 × 1500 × 3 bytes.
    const big = await sharp(await face(65, { width: 1_500, height: 1_500, format: "png" }))
      .png({ compressionLevel: 0 })
      .toBuffer();
    const limits = limitsOf("ailab", "expression", "target");
    expect(big.length).toBeGreaterThan(limits.maxBytes);
    const since = Date.now();

    const job = await submit({
      operation: "expression",
      vendor: "ailab",
      inputs: { target: { base64: big.toString("base64") } },
      params: { expression: "cool_pose" },
    });
    await storedOutput(job);
    const sent = await sentBytes("ailab", "expression", big, since);
    const meta = await expectWithin(sent.bytes, sent.limits);
    expect(meta.format).toBe("jpeg");
  });

  it("a BMP to AILab face fusion (which takes BMP) is sent as it is", async () => {
    const bmp = await toBmp(await face(45));
    const since = Date.now();
    const job = await submit({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: {
        target: { base64: bmp.toString("base64") },
        template: { base64: (await face(215)).toString("base64") },
      },
    });
    const out = await storedOutput(job);
    expect((await sharp(out).metadata()).format).toBe("jpeg");
    expect(t.sim.calls({ vendor: "ailab", since }).map((c) => c.targetSha256)).toContain(sha256(bmp));
  });

  it("a BMP to AILab's emotion editor (JPEG/PNG only) is converted", async () => {
    const bmp = await toBmp(await face(55));
    const since = Date.now();
    const job = await submit({
      operation: "expression",
      vendor: "ailab",
      inputs: { target: { base64: bmp.toString("base64") } },
      params: { expression: "sad" },
    });
    await storedOutput(job);
    const sent = await sentBytes("ailab", "expression", bmp, since);
    expect((await expectWithin(sent.bytes, sent.limits)).format).toBe("jpeg");
  });
});
