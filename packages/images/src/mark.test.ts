import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { markAiGenerated } from "./mark";
import { bmp, orientedPhoneJpeg, PHONE_EXIF, photo, pixelAt, pixels, pngWithText } from "./test-images";
import { DIGITAL_SOURCE_TYPE_BASE, readDigitalSourceType } from "./xmp";

const FUSION = `${DIGITAL_SOURCE_TYPE_BASE}compositeWithTrainedAlgorithmicMedia`;
const GENERATED = `${DIGITAL_SOURCE_TYPE_BASE}trainedAlgorithmicMedia`;

/** What an outside reader (libvips) sees in the file. */
async function seenBySharp(image: Buffer) {
  const meta = await sharp(image).metadata();
  return { xmp: meta.xmpAsString ?? "", exif: meta.exif, orientation: meta.orientation };
}

describe("markAiGenerated", () => {
  it("marks a JPEG in place: same pixels, no EXIF, XMP visible to us and to libvips", async () => {
    const jpeg = await photo(80, 60).jpeg().withExif(PHONE_EXIF).toBuffer();
    const marked = await markAiGenerated(jpeg, { source: "compositeWithTrainedAlgorithmicMedia" });

    expect(marked).toMatchObject({ format: "jpeg", contentType: "image/jpeg", width: 80, height: 60 });
    expect(readDigitalSourceType(marked.bytes)).toBe(FUSION);
    const seen = await seenBySharp(marked.bytes);
    expect(seen.xmp).toContain(FUSION);
    expect(seen.exif).toBeUndefined();
    expect(marked.bytes.includes("GPS")).toBe(false);
    expect((await pixels(marked.bytes)).equals(await pixels(jpeg))).toBe(true);
    expect(marked.sha256).toBe(createHash("sha256").update(marked.bytes).digest("hex"));
  });

  it("marks a PNG in place, dropping its text and EXIF chunks", async () => {
    const png = await pngWithText();
    const marked = await markAiGenerated(png, { source: "trainedAlgorithmicMedia" });
    expect(marked.format).toBe("png");
    expect(readDigitalSourceType(marked.bytes)).toBe(GENERATED);
    const seen = await seenBySharp(marked.bytes);
    expect(seen.xmp).toContain(GENERATED);
    expect(seen.exif).toBeUndefined();
    expect(marked.bytes.includes("Jane Doe")).toBe(false);
    expect((await pixels(marked.bytes)).equals(await pixels(png))).toBe(true);
  });

  it("applies EXIF orientation before stripping it", async () => {
    const marked = await markAiGenerated(await orientedPhoneJpeg(), {
      source: "compositeWithTrainedAlgorithmicMedia",
    });
    expect(marked).toMatchObject({ width: 32, height: 64 });
    const seen = await seenBySharp(marked.bytes);
    expect(seen.orientation).toBeUndefined();
    expect(seen.exif).toBeUndefined();
    // Orientation 6 turns the stored image 90° clockwise: its red left half is now on top.
    const [r, , b] = await pixelAt(marked.bytes, 16, 8);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
    const [r2, , b2] = await pixelAt(marked.bytes, 16, 56);
    expect(r2).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(readDigitalSourceType(marked.bytes)).toBe(FUSION);
  });

  it("re-encodes other formats: PNG when there is alpha, JPEG otherwise", async () => {
    const opaque = await photo(30, 20).webp().withExif(PHONE_EXIF).toBuffer();
    const fromOpaque = await markAiGenerated(opaque, { source: "trainedAlgorithmicMedia" });
    expect(fromOpaque).toMatchObject({ format: "jpeg", width: 30, height: 20 });
    expect((await seenBySharp(fromOpaque.bytes)).exif).toBeUndefined();

    const transparent = await sharp({ create: { width: 9, height: 9, channels: 4, background: "#f008" } })
      .webp()
      .toBuffer();
    const fromTransparent = await markAiGenerated(transparent, { source: "trainedAlgorithmicMedia" });
    expect(fromTransparent.format).toBe("png");
    expect((await sharp(fromTransparent.bytes).metadata()).hasAlpha).toBe(true);

    const fromBmp = await markAiGenerated(bmp(10, 6), { source: "trainedAlgorithmicMedia" });
    expect(fromBmp).toMatchObject({ format: "jpeg", width: 10, height: 6 });
    for (const out of [fromOpaque, fromTransparent, fromBmp]) {
      expect(readDigitalSourceType(out.bytes)).toBe(GENERATED);
      expect((await seenBySharp(out.bytes)).xmp).toContain(GENERATED);
    }
  });

  it("replaces an earlier mark instead of adding a second one", async () => {
    const jpeg = await photo(20, 20).jpeg().toBuffer();
    const once = await markAiGenerated(jpeg, { source: "trainedAlgorithmicMedia" });
    const twice = await markAiGenerated(once.bytes, { source: "compositeWithTrainedAlgorithmicMedia" });
    expect(readDigitalSourceType(twice.bytes)).toBe(FUSION);
    expect(twice.bytes.toString("latin1").split("DigitalSourceType>").length).toBe(3); // one open, one close tag
  });

  it("refuses truncated and non-image inputs", async () => {
    const jpeg = await photo(40, 40).jpeg().toBuffer();
    await expect(
      markAiGenerated(jpeg.subarray(0, jpeg.length - 100), { source: "trainedAlgorithmicMedia" }),
    ).rejects.toMatchObject({ code: "invalid_image" });
    await expect(
      markAiGenerated(Buffer.from("{}"), { source: "trainedAlgorithmicMedia" }),
    ).rejects.toMatchObject({
      code: "invalid_image",
    });
  });
});
