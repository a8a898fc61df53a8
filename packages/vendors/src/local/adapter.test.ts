import { VendorError } from "@facegate/core";
import { faceFixture } from "@facegate/faces";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { VendorImage } from "../types";
import { LocalAdapter } from "./adapter";

const image = async (bytes: Buffer): Promise<VendorImage> => {
  const meta = await sharp(bytes).metadata();
  return { bytes, contentType: "image/jpeg", width: meta.width!, height: meta.height! };
};

describe("LocalAdapter", () => {
  const adapter = new LocalAdapter();

  it("fuses the target's face into the template: the template's size, changed only around its face", async () => {
    const template = faceFixture("portraitB");
    const result = await adapter.call({
      operation: "face_fusion",
      target: await image(faceFixture("portraitA")),
      template: await image(template),
      params: {},
      credential: 0,
    });
    expect(result.kind).toBe("bytes");
    if (result.kind !== "bytes") return;
    const [out, base] = await Promise.all(
      [result.bytes, template].map((b) => sharp(b).raw().toBuffer({ resolveWithObject: true })),
    );
    expect([out!.info.width, out!.info.height]).toEqual([base!.info.width, base!.info.height]);
    // Corners (background) are the template's; the face's middle is not.
    const diff = (x: number, y: number) => {
      const i = (y * base!.info.width + x) * 3;
      return Math.abs(out!.data[i]! - base!.data[i]!) + Math.abs(out!.data[i + 1]! - base!.data[i + 1]!);
    };
    expect(diff(5, 5)).toBeLessThan(12);
    let changed = 0;
    for (let y = 220; y < 380; y += 4) for (let x = 180; x < 320; x += 4) if (diff(x, y) > 20) changed++;
    expect(changed).toBeGreaterThan(200);
  });

  it("refuses a target without a face as no_face_detected (an input error: no failover)", async () => {
    const error = await adapter
      .call({
        operation: "face_fusion",
        target: await image(faceFixture("faceless")),
        template: await image(faceFixture("portraitB")),
        params: {},
        credential: 0,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ vendor: "local", kind: "input", code: "no_face_detected" });
  });

  it("slims a face and leaves the photo's size", async () => {
    const target = faceFixture("portraitC");
    const result = await adapter.call({
      operation: "face_slimming",
      target: await image(target),
      params: { slim_degree: 2 },
      credential: 0,
    });
    if (result.kind !== "bytes") throw new Error("expected bytes");
    const [a, b] = await Promise.all([result.bytes, target].map((x) => sharp(x).raw().toBuffer()));
    expect(a!.length).toBe(b!.length);
    expect(a!.equals(b!)).toBe(false);
  });

  it("offers fusion and slimming, not expressions", () => {
    expect(adapter.supports("face_fusion")).toBe(true);
    expect(adapter.supports("face_slimming")).toBe(true);
    expect(adapter.supports("expression")).toBe(false);
  });
});
