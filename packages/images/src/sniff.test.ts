import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { sniffFormat } from "./sniff";
import { bmp, photo } from "./test-images";

describe("sniffFormat", () => {
  it.each(["jpeg", "png", "webp", "gif", "tiff", "avif"] as const)(
    "recognises %s written by sharp",
    async (format) => {
      const bytes = await photo(16, 16).toFormat(format).toBuffer();
      expect(sniffFormat(bytes.subarray(0, 64))).toBe(format);
    },
  );

  it("recognises BMP and HEIC from their headers", () => {
    expect(sniffFormat(bmp(4, 4))).toBe("bmp");
    const heic = Buffer.alloc(32);
    heic.writeUInt32BE(24, 0);
    heic.write("ftypheic\0\0\0\0mif1heic", 4, "latin1");
    expect(sniffFormat(heic)).toBe("heif");
  });

  it("tells AVIF from HEIF by compatible brands when the major brand is generic", () => {
    const head = Buffer.alloc(32);
    head.writeUInt32BE(28, 0);
    head.write("ftypmif1\0\0\0\0mif1avifmiaf", 4, "latin1");
    expect(sniffFormat(head)).toBe("avif");
  });

  it("looks at bytes only, never at what a file claims to be", async () => {
    const png = await photo(8, 8).png().toBuffer();
    expect(sniffFormat(png)).toBe("png"); // whatever name or content type came with it
    expect(sniffFormat(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeUndefined();
    expect(sniffFormat(Buffer.from("%PDF-1.7\n"))).toBeUndefined();
    expect(sniffFormat(Buffer.from("BM but not a bitmap header at all"))).toBeUndefined();
    const mp4 = Buffer.alloc(32);
    mp4.writeUInt32BE(24, 0);
    mp4.write("ftypisom\0\0\0\0isomiso2", 4, "latin1");
    expect(sniffFormat(mp4)).toBeUndefined();
    expect(sniffFormat(Buffer.alloc(0))).toBeUndefined();
  });

  it("needs only the first bytes", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#123456" } })
      .jpeg()
      .toBuffer();
    expect(sniffFormat(jpeg.subarray(0, 3))).toBe("jpeg");
  });
});
