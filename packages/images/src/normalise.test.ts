import type { ImageLimits } from "@facegate/core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { normaliseForVendor } from "./normalise";
import { bmp, orientedPhoneJpeg, PHONE_EXIF, photo, pixels, pngBombHeader } from "./test-images";

const LIMITS: ImageLimits = { formats: ["jpeg", "png"], maxBytes: 5_000_000, minSide: 16, maxSide: 4096 };

describe("normaliseForVendor", () => {
  it("passes a fitting image through: same pixels, metadata gone, not re-encoded", async () => {
    const jpeg = await photo(120, 90).jpeg().withExif(PHONE_EXIF).toBuffer();
    const out = await normaliseForVendor(jpeg, LIMITS);
    expect(out).toMatchObject({ contentType: "image/jpeg", width: 120, height: 90, reencoded: false });
    expect((await pixels(out.bytes)).equals(await pixels(jpeg))).toBe(true);
    expect((await sharp(out.bytes).metadata()).exif).toBeUndefined();
  });

  it("applies EXIF orientation (a re-encode) and sends no EXIF", async () => {
    const out = await normaliseForVendor(await orientedPhoneJpeg(), LIMITS);
    expect(out).toMatchObject({ width: 32, height: 64, reencoded: true, contentType: "image/jpeg" });
    const meta = await sharp(out.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it("shrinks oversize dimensions to maxSide, keeping the aspect ratio", async () => {
    const png = await photo(600, 300).png().toBuffer();
    const out = await normaliseForVendor(png, { ...LIMITS, maxSide: 200 });
    expect(out).toMatchObject({ width: 200, height: 100, reencoded: true, contentType: "image/jpeg" });
    expect((await sharp(out.bytes).metadata()).format).toBe("jpeg");
  });

  it("steps quality and then size down until the bytes fit", async () => {
    const big = await photo(1200, 900).jpeg({ quality: 100 }).toBuffer();
    for (const maxBytes of [big.length - 1, 60_000, 15_000]) {
      const out = await normaliseForVendor(big, { ...LIMITS, maxBytes });
      expect(out.reencoded).toBe(true);
      expect(out.bytes.length).toBeLessThanOrEqual(maxBytes);
      expect(out.width / out.height).toBeCloseTo(4 / 3, 1);
    }
  });

  it("refuses images below minSide, and aspect ratios that cannot meet both bounds", async () => {
    const tiny = await photo(10, 40).png().toBuffer();
    await expect(normaliseForVendor(tiny, LIMITS)).rejects.toMatchObject({
      code: "image_too_small",
      retryable: false,
    });
    const strip = await photo(2000, 40).png().toBuffer();
    await expect(normaliseForVendor(strip, { ...LIMITS, maxSide: 500 })).rejects.toMatchObject({
      code: "image_too_small",
    });
  });

  it("refuses black-and-white images only when the vendor needs colour", async () => {
    const singleChannel = await photo(64, 64).toColourspace("b-w").jpeg().toBuffer();
    const greyAsRgb = await photo(64, 64).greyscale().jpeg().toBuffer(); // three equal channels
    expect((await sharp(greyAsRgb).metadata()).channels).toBe(3);
    const colour = await photo(64, 64).jpeg().toBuffer();
    const needsColour = { ...LIMITS, colorRequired: true };
    for (const grey of [singleChannel, greyAsRgb, bmp(32, 32, "grey")]) {
      await expect(normaliseForVendor(grey, needsColour)).rejects.toMatchObject({
        code: "image_not_accepted",
        message: "black-and-white images are not accepted by this vendor",
      });
      await expect(
        normaliseForVendor(grey, { ...LIMITS, formats: ["jpeg", "png", "bmp"] }),
      ).resolves.toBeDefined();
    }
    await expect(normaliseForVendor(colour, needsColour)).resolves.toMatchObject({ reencoded: false });
  });

  it("takes the colour as already known when told, without looking again", async () => {
    const needsColour = { ...LIMITS, colorRequired: true };
    const colour = await photo(64, 64).jpeg().toBuffer();
    const greyAsRgb = await photo(64, 64).greyscale().jpeg().toBuffer();
    await expect(normaliseForVendor(colour, needsColour, { colour: false })).rejects.toMatchObject({
      code: "image_not_accepted",
    });
    await expect(normaliseForVendor(greyAsRgb, needsColour, { colour: true })).resolves.toMatchObject({
      reencoded: false,
    });
  });

  it("converts to PNG for a PNG-only vendor, keeping alpha", async () => {
    const webp = await sharp({ create: { width: 40, height: 40, channels: 4, background: "#0f08" } })
      .webp()
      .toBuffer();
    const out = await normaliseForVendor(webp, { ...LIMITS, formats: ["png"] });
    expect(out).toMatchObject({ contentType: "image/png", reencoded: true });
    expect((await sharp(out.bytes).metadata()).hasAlpha).toBe(true);
  });

  it("passes BMP through where accepted and converts it elsewhere", async () => {
    const file = bmp(40, 30);
    const kept = await normaliseForVendor(file, { ...LIMITS, formats: ["jpeg", "png", "bmp"] });
    expect(kept).toMatchObject({ contentType: "image/bmp", reencoded: false, width: 40, height: 30 });
    expect(kept.bytes).toBe(file);
    const converted = await normaliseForVendor(file, LIMITS);
    expect(converted).toMatchObject({ contentType: "image/jpeg", reencoded: true, width: 40, height: 30 });
  });

  it("uses the first frame of an animated image", async () => {
    const red = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    const blue = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#00f" } })
      .png()
      .toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    const out = await normaliseForVendor(gif, LIMITS);
    expect(out).toMatchObject({ width: 20, height: 20, contentType: "image/jpeg" });
    const { data } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200); // red, the first frame
    expect(data[2]).toBeLessThan(60);
  });

  it("re-encodes CMYK JPEG to sRGB", async () => {
    const cmyk = await photo(40, 40).toColourspace("cmyk").jpeg().toBuffer();
    const out = await normaliseForVendor(cmyk, LIMITS);
    expect(out.reencoded).toBe(true);
    expect((await sharp(out.bytes).metadata()).space).toBe("srgb");
  });

  it("refuses truncated files, decompression bombs and non-images", async () => {
    const jpeg = await photo(100, 100).jpeg().toBuffer();
    await expect(normaliseForVendor(jpeg.subarray(0, jpeg.length - 500), LIMITS)).rejects.toMatchObject({
      code: "invalid_image",
    });
    await expect(normaliseForVendor(pngBombHeader(), LIMITS)).rejects.toMatchObject({
      code: "image_too_large",
    });
    await expect(normaliseForVendor(Buffer.from("GIF89a"), LIMITS)).rejects.toMatchObject({
      code: "invalid_image",
    });
  });
});
