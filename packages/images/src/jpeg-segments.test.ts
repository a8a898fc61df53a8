import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ImageError } from "./errors";
import { findJpegXmp, rewriteJpeg, walkJpeg } from "./jpeg-segments";
import { orientedPhoneJpeg, PHONE_EXIF, photo, pixels } from "./test-images";

/** Insert a raw segment right after SOI. */
function withSegment(jpeg: Buffer, marker: number, payload: string): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, Buffer.from(payload, "latin1"), jpeg.subarray(2)]);
}

function markers(jpeg: Buffer): number[] {
  return walkJpeg(jpeg)
    .parts.map((p) => p.marker)
    .filter((m): m is number => m !== undefined);
}

describe("rewriteJpeg", () => {
  it("drops EXIF, XMP, IPTC and comments but not the image data", async () => {
    const written = await photo(40, 30).jpeg().withExif(PHONE_EXIF).withXmp("<x:xmpmeta/>").toBuffer();
    const jpeg = withSegment(withSegment(written, 0xfe, "a comment"), 0xed, "Photoshop 3.0\0IPTC caption");
    const stripped = rewriteJpeg(jpeg);

    expect(markers(stripped).filter((m) => m === 0xe1 || m === 0xed || m === 0xfe)).toEqual([]);
    expect(stripped.includes("Phone")).toBe(false);
    const meta = await sharp(stripped).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect((await pixels(stripped)).equals(await pixels(jpeg))).toBe(true);
  });

  it("keeps JFIF first and puts the XMP packet right after it", async () => {
    const jfif = "JFIF\0\x01\x01\0\0\x01\0\x01\0\0"; // libvips writes none; cameras and browsers do
    const jpeg = withSegment(await photo(40, 30).jpeg().withExif(PHONE_EXIF).toBuffer(), 0xe0, jfif);
    expect(markers(jpeg).slice(0, 2)).toEqual([0xe0, 0xe1]);
    const rewritten = rewriteJpeg(jpeg, { xmp: "<x:xmpmeta/>" });
    expect(markers(rewritten).slice(0, 2)).toEqual([0xe0, 0xe1]);
    expect(findJpegXmp(rewritten)?.toString()).toBe("<x:xmpmeta/>");
  });

  it("keeps the ICC profile", async () => {
    const jpeg = await photo(40, 30).jpeg().withIccProfile("p3").withExif(PHONE_EXIF).toBuffer();
    const meta = await sharp(rewriteJpeg(jpeg)).metadata();
    expect(meta.icc?.equals((await sharp(jpeg).metadata()).icc!)).toBe(true);
    expect(meta.exif).toBeUndefined();
  });

  it("keeps a non-1 orientation as a one-tag EXIF block, without GPS", async () => {
    const jpeg = await orientedPhoneJpeg();
    const stripped = rewriteJpeg(jpeg);
    const meta = await sharp(stripped).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif?.length).toBeLessThan(40);
    expect(stripped.includes("Camera 9")).toBe(false);
  });

  it("copies every scan of a progressive JPEG and drops what follows EOI", async () => {
    const progressive = await photo(64, 64).jpeg({ progressive: true }).withExif(PHONE_EXIF).toBuffer();
    const withTrailer = Buffer.concat([progressive, Buffer.from("appended video with its own metadata")]);
    const stripped = rewriteJpeg(withTrailer);
    expect(markers(stripped).filter((m) => m === 0xda).length).toBeGreaterThan(1);
    expect(stripped.includes("appended")).toBe(false);
    expect((await pixels(stripped)).equals(await pixels(progressive))).toBe(true);
  });

  it("skips stray bytes between segments, as libjpeg does", async () => {
    const jpeg = await photo(40, 30).jpeg().toBuffer();
    const stray = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([1, 2, 3]), jpeg.subarray(2)]);
    expect(rewriteJpeg(stray).equals(rewriteJpeg(jpeg))).toBe(true);
  });

  it("refuses truncated and malformed files", async () => {
    const jpeg = await photo(40, 30).jpeg().toBuffer();
    expect(() => rewriteJpeg(jpeg.subarray(0, jpeg.length - 10))).toThrow(ImageError);
    expect(() => rewriteJpeg(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x00, 0x00]))).toThrow(/malformed/);
  });
});
