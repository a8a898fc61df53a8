import { crc32 } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { findPngXmp, PNG_XMP_KEYWORD, pngChunk, rewritePng, walkPng } from "./png-chunks";
import { insertAfterIhdr, pixels, pngWithText } from "./test-images";

const types = (png: Buffer) => walkPng(png).map((c) => c.type);

describe("rewritePng", () => {
  it("drops text, time and EXIF chunks but not the image data", async () => {
    const png = await pngWithText();
    expect(types(png)).toEqual(expect.arrayContaining(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"]));
    const stripped = rewritePng(png);
    expect(types(stripped)).toEqual(["IHDR", "pHYs", "IDAT", "IEND"]); // pHYs (density) is rendering data
    expect((await pixels(stripped)).equals(await pixels(png))).toBe(true);
    expect((await sharp(stripped).metadata()).exif).toBeUndefined();
  });

  it("inserts an iTXt XMP chunk after IHDR with a correct CRC", async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 4, background: "#ff000080" } })
      .png()
      .toBuffer();
    const marked = rewritePng(png, { xmp: "<x:xmpmeta>é</x:xmpmeta>" });
    const chunks = walkPng(marked);
    expect(chunks.map((c) => c.type).slice(0, 2)).toEqual(["IHDR", "iTXt"]);
    for (const chunk of chunks) {
      const crc = marked.readUInt32BE(chunk.end - 4);
      expect(crc).toBe(crc32(marked.subarray(chunk.start + 4, chunk.end - 4)));
    }
    expect(findPngXmp(marked)?.toString("utf8")).toBe("<x:xmpmeta>é</x:xmpmeta>");
    expect((await sharp(marked).metadata()).xmpAsString).toBe("<x:xmpmeta>é</x:xmpmeta>");
  });

  it("keeps rendering chunks such as the ICC profile and transparency", async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 4, background: "#00ff0040" } })
      .withIccProfile("p3")
      .png()
      .toBuffer();
    const kept = types(rewritePng(png));
    expect(kept).toContain("iCCP");
    expect((await sharp(rewritePng(png)).metadata()).hasAlpha).toBe(true);
  });

  it("reads a compressed XMP packet written by another tool", async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const { deflateSync } = await import("node:zlib");
    const data = Buffer.concat([
      Buffer.from(`${PNG_XMP_KEYWORD}\0\x01\0\0\0`, "latin1"),
      deflateSync("<packet/>"),
    ]);
    expect(findPngXmp(insertAfterIhdr(png, [pngChunk("iTXt", data)]))?.toString()).toBe("<packet/>");
  });

  it("refuses truncated files", async () => {
    const png = await pngWithText();
    expect(() => rewritePng(png.subarray(0, png.length - 5))).toThrow(/truncated/);
  });
});
