import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ImageError } from "./errors";
import { probeImage } from "./probe";
import { bmp, orientedPhoneJpeg, photo, pngBombHeader } from "./test-images";

describe("probeImage", () => {
  it("reports displayed and stored sizes for an EXIF-rotated JPEG", async () => {
    const jpeg = await orientedPhoneJpeg();
    const probed = await probeImage(jpeg);
    expect(probed).toMatchObject({
      format: "jpeg",
      bytes: jpeg.length,
      orientation: 6,
      width: 32,
      height: 64,
      storedWidth: 64,
      storedHeight: 32,
      channels: 3,
      isGrayscale: false,
      pages: 1,
    });
  });

  it("knows single-channel images are black-and-white from the header", async () => {
    const grey = await photo(20, 20).toColourspace("b-w").png().toBuffer();
    expect(await probeImage(grey)).toMatchObject({ format: "png", channels: 1, isGrayscale: true });
  });

  it("counts the frames of an animated image and reports one frame's size", async () => {
    const frames = await Promise.all([photo(10, 6, 1).png().toBuffer(), photo(10, 6, 2).png().toBuffer()]);
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect(await probeImage(gif)).toMatchObject({ format: "gif", width: 10, height: 6, pages: 2 });
  });

  it("reads BMP headers itself", async () => {
    expect(await probeImage(bmp(12, 7))).toMatchObject({
      format: "bmp",
      width: 12,
      height: 7,
      isGrayscale: false,
    });
    expect(await probeImage(bmp(12, 7, "grey"))).toMatchObject({ isGrayscale: true });
  });

  it("refuses a decompression bomb from its header", async () => {
    const bomb = pngBombHeader(30_000);
    const error = await probeImage(bomb).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toMatchObject({ code: "image_too_large", retryable: false });
    expect((error as Error).message).toContain("30000×30000");
  });

  it("honours a custom pixel limit", async () => {
    const png = await photo(100, 100).png().toBuffer();
    await expect(probeImage(png, { maxPixels: 9_999 })).rejects.toMatchObject({ code: "image_too_large" });
    await expect(probeImage(png, { maxPixels: 10_000 })).resolves.toMatchObject({ width: 100 });
  });

  it("refuses non-images and unreadable headers as invalid_image", async () => {
    await expect(probeImage(Buffer.from("hello, world"))).rejects.toMatchObject({ code: "invalid_image" });
    const jpegMagicOnly = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]);
    await expect(probeImage(jpegMagicOnly)).rejects.toMatchObject({ code: "invalid_image" });
    const svg = Buffer.from("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>");
    await expect(probeImage(svg)).rejects.toMatchObject({ code: "invalid_image" });
  });
});
