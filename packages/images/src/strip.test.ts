import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { stripMetadata } from "./strip";
import { bmp, orientedPhoneJpeg, PHONE_EXIF, photo, pixels, pngWithText } from "./test-images";

describe("stripMetadata", () => {
  it("removes GPS EXIF from a JPEG without re-encoding", async () => {
    const jpeg = await photo(50, 40).jpeg().withExif(PHONE_EXIF).toBuffer();
    expect((await sharp(jpeg).metadata()).exif?.toString("latin1")).toContain("Phone");
    const stripped = stripMetadata(jpeg, "jpeg");
    expect((await sharp(stripped).metadata()).exif).toBeUndefined();
    expect((await pixels(stripped)).equals(await pixels(jpeg))).toBe(true);
  });

  it("removes GPS EXIF and text from a PNG", async () => {
    const png = await pngWithText();
    const stripped = stripMetadata(png, "png");
    const meta = await sharp(stripped).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.comments).toBeUndefined();
    expect(stripped.includes("Jane Doe")).toBe(false);
  });

  it("keeps the image the right way up", async () => {
    const jpeg = await orientedPhoneJpeg();
    const stripped = stripMetadata(jpeg, "jpeg");
    const meta = await sharp(stripped).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif?.toString("latin1")).not.toContain("Phone");
    const png = await photo(20, 10).png().withMetadata({ orientation: 8 }).withExif(PHONE_EXIF).toBuffer();
    expect((await sharp(stripMetadata(png, "png")).metadata()).orientation).toBe(8);
  });

  it("leaves BMP alone and refuses formats that would need a re-encode", async () => {
    const file = bmp(4, 4);
    expect(stripMetadata(file, "bmp")).toBe(file);
    const webp = await photo(8, 8).webp().toBuffer();
    expect(() => stripMetadata(webp, "webp")).toThrow(/re-encode/);
  });
});
