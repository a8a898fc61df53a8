import { describe, expect, it } from "vitest";
import { decodeBmp, readBmpHeader } from "./bmp";
import { ImageError } from "./errors";
import { bmp, photoPixels } from "./test-images";

describe("BMP", () => {
  it("decodes 24-bit bottom-up rows into top-down RGB", () => {
    const file = bmp(7, 5); // odd width: rows are padded
    const { data, channels } = decodeBmp(file, readBmpHeader(file));
    expect(channels).toBe(3);
    expect(data.equals(photoPixels(7, 5))).toBe(true);
  });

  it("decodes 8-bit palette images and sees a grey palette", () => {
    const file = bmp(6, 3, "grey");
    const header = readBmpHeader(file);
    expect(header.isGrayscale).toBe(true);
    const { data } = decodeBmp(file, header);
    const expected = photoPixels(6, 3);
    for (let p = 0; p < 18; p++)
      expect(data.subarray(p * 3, p * 3 + 3)).toEqual(Buffer.alloc(3, expected[p * 3]!));
  });

  it("decodes 32-bit images with an alpha bit field", () => {
    const file = Buffer.alloc(70 + 4);
    file.write("BM", 0, "latin1");
    file.writeUInt32LE(70, 10);
    file.writeUInt32LE(56, 14); // BITMAPV3INFOHEADER: masks inside the header
    file.writeInt32LE(1, 18);
    file.writeInt32LE(-1, 22); // top-down
    file.writeUInt16LE(1, 26);
    file.writeUInt16LE(32, 28);
    file.writeUInt32LE(3, 30); // BI_BITFIELDS
    const masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000];
    for (const [i, mask] of masks.entries()) file.writeUInt32LE(mask, 54 + i * 4);
    file.writeUInt32LE(0x80102030, 70);
    const header = readBmpHeader(file);
    expect(header.hasAlpha).toBe(true);
    expect([...decodeBmp(file, header).data]).toEqual([0x10, 0x20, 0x30, 0x80]);
  });

  it("refuses compressed variants and truncated pixel data", () => {
    const rle = bmp(4, 4, "grey");
    rle.writeUInt32LE(1, 30); // BI_RLE8
    expect(() => readBmpHeader(rle)).toThrow(ImageError);
    const file = bmp(8, 8);
    expect(() => decodeBmp(file.subarray(0, 100), readBmpHeader(file))).toThrow(/truncated/);
  });
});
