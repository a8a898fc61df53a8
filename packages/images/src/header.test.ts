import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readJpegHeader, readPngHeader } from "./header";

const base = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 120, b: 40, alpha: 0.5 } } });

/** The JS header readers must agree with libvips on everything facegate decides from them. */
describe("header readers agree with libvips", () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ["JPEG rgb", () => base(321, 123).jpeg().toBuffer()],
    ["JPEG grey", () => base(64, 48).greyscale().jpeg().toBuffer()],
    ["JPEG progressive", () => base(200, 100).jpeg({ progressive: true }).toBuffer()],
    ["JPEG orientation 6", () => base(300, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
    ["JPEG cmyk", () => base(40, 30).jpeg().toColourspace("cmyk").toBuffer()],
    ["PNG rgb", () => base(99, 77).png().toBuffer()],
    ["PNG rgba", () => base(99, 77, 4).png().toBuffer()],
    ["PNG grey", () => base(50, 60).greyscale().png().toBuffer()],
    ["PNG palette", () => base(33, 44).png({ palette: true }).toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const bytes = await make();
      const meta = await sharp(bytes).metadata();
      const facts = meta.format === "jpeg" ? readJpegHeader(bytes) : readPngHeader(bytes);
      expect(facts).toBeDefined();
      expect([facts!.width, facts!.height]).toEqual([meta.width, meta.height]);
      expect(facts!.orientation).toBe(meta.orientation ?? 1);
      expect(facts!.hasAlpha).toBe(meta.hasAlpha);
      expect(facts!.isGrayscale).toBe(meta.space === "b-w" || meta.channels <= 2);
      if (meta.space === "cmyk") expect(facts!.colourSpace).toBe("cmyk");
    });
  }

  it("leaves what it cannot read to libvips", () => {
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
    expect(readPngHeader(Buffer.from("not a png"))).toBeUndefined();
  });
});
