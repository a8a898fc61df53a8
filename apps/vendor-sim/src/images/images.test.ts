import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { bmpFace, face, meanDifference } from "../testing/fixtures";
import { decodeBmp, readBmpHeader } from "./bmp";
import { applyExpression } from "./expressions";
import { centralFaceBox, fuseFaces } from "./fusion";
import { analysePixels, decodeImage, detectFormat, encodeRaw, probeImage, type RawImage } from "./inspect";
import { slimFace } from "./slimming";
import { syntheticGroup } from "./synthetic";

async function raw(bytes: Buffer): Promise<RawImage> {
  const probe = await probeImage(bytes);
  if (!probe) throw new Error("not an image");
  const image = await decodeImage(bytes, probe);
  if (!image) throw new Error("undecodable");
  return image;
}

describe("image effects", () => {
  it("reads a 24-bit BMP the same as the picture it was made from", async () => {
    const bmp = await bmpFace(120, 90);
    expect(detectFormat(bmp)).toBe("bmp");
    expect(readBmpHeader(bmp)).toMatchObject({ width: 120, height: 90, bitsPerPixel: 24, topDown: false });
    const pixels = decodeBmp(bmp);
    expect(pixels?.data.length).toBe(120 * 90 * 3);
    const png = await encodeRaw(await raw(bmp), "png");
    const reference = await sharp(await face())
      .resize(120, 90, { fit: "fill" })
      .png()
      .toBuffer();
    expect(await meanDifference(png, reference)).toBeLessThan(1);
    expect(decodeBmp(bmp.subarray(0, 1000))).toBeNull();
  });

  it("fuses onto the template at the template's size", async () => {
    const template = await raw(await face({ hue: 200, width: 500, height: 400 }));
    const target = await raw(await face({ hue: 0 }));
    const fused = await fuseFaces(template, [
      {
        source: target,
        sourceBox: centralFaceBox(target.width, target.height),
        destBox: centralFaceBox(500, 400),
        strength: 1,
      },
    ]);
    expect([fused.width, fused.height]).toEqual([500, 400]);
    expect(fused.data.length).toBe(500 * 400 * 3);
  });

  it("keeps the size when slimming, and slim_degree 0 changes nothing visible", async () => {
    const image = await raw(await face());
    const none = await slimFace(image, 0);
    const strong = await slimFace(image, 2);
    expect(await sharp(strong).metadata()).toMatchObject({ width: 320, height: 400 });
    const original = await encodeRaw(image, "jpeg");
    expect(await meanDifference(none, original)).toBeLessThan(1);
    expect(await meanDifference(strong, original)).toBeGreaterThan(2);
  });

  it("gives each expression its own look", async () => {
    const image = await raw(await face());
    const sad = await applyExpression(image, 15);
    const grin = await applyExpression(image, 12);
    expect(await meanDifference(sad, grin)).toBeGreaterThan(3);
  });

  it("draws material templates with one face per id, largest first", async () => {
    const { image, faces } = await syntheticGroup(600, 400, 3);
    expect(image.data.length).toBe(600 * 400 * 3);
    expect(faces).toHaveLength(3);
    expect((faces[0]?.width ?? 0) > (faces[1]?.width ?? 0)).toBe(true);
    expect(analysePixels(image.data).grayscale).toBe(false);
  });
});
