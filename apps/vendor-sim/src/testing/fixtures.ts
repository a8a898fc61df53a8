import { crc32 } from "node:zlib";
import sharp from "sharp";
import { syntheticFace } from "../images/synthetic";

/**
 * Test inputs, all made with sharp at run time (no files on disk): a colour "face", its
 * black-and-white copy, a blank picture, pictures of a chosen size, a truncated file and a BMP.
 */

export function face(
  options: { width?: number; height?: number; hue?: number; format?: "jpeg" | "png" } = {},
) {
  return syntheticFace({ width: 320, height: 400, ...options });
}

export async function grayscaleFace(): Promise<Buffer> {
  return sharp(await face())
    .grayscale()
    .jpeg()
    .toBuffer();
}

/** A near-uniform picture: the simulators' "no face" input. */
export function blank(width = 320, height = 400, format: "jpeg" | "png" = "jpeg"): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 170, b: 150 } } });
  return format === "png" ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** A face resized to exactly width × height (stretched). */
export async function sized(width: number, height: number, format: "jpeg" | "png" = "jpeg"): Promise<Buffer> {
  const image = sharp(await face()).resize(width, height, { fit: "fill" });
  return format === "png" ? image.png().toBuffer() : image.jpeg().toBuffer();
}

/** A valid face PNG padded with a text chunk until it is larger than `bytes` (pixel size unchanged). */
export async function padded(bytes: number): Promise<Buffer> {
  const png = await face({ format: "png" });
  const size = Math.max(8, bytes - png.length + 1);
  const chunk = Buffer.alloc(12 + size);
  chunk.writeUInt32BE(size, 0);
  chunk.write("tEXtpad\0", 4, "latin1");
  chunk.fill(0x20, 12, 8 + size);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + size)), 8 + size);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

export async function truncatedJpeg(): Promise<Buffer> {
  const jpeg = await face();
  return jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
}

export function notAnImage(): Buffer {
  return Buffer.from("%PDF-1.4 this is not a picture\n".repeat(20));
}

/** A 24-bit bottom-up BMP of a face (sharp cannot write BMP, so the file is assembled here). */
export async function bmpFace(width = 300, height = 300): Promise<Buffer> {
  const { data } = await sharp(await face())
    .resize(width, height, { fit: "fill" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const file = Buffer.alloc(54 + rowBytes * height);
  file.write("BM", 0, "latin1");
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(rowBytes * height, 34);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      file[row + x * 3] = data[s + 2] ?? 0;
      file[row + x * 3 + 1] = data[s + 1] ?? 0;
      file[row + x * 3 + 2] = data[s] ?? 0;
    }
  }
  return file;
}

/** Mean absolute per-channel difference of two images of the same size (0 = identical). */
export async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [ra, rb] = await Promise.all(
    [a, b].map((img) => sharp(img).resize(64, 64, { fit: "fill" }).removeAlpha().raw().toBuffer()),
  );
  let sum = 0;
  for (let i = 0; i < (ra?.length ?? 0); i++) sum += Math.abs((ra?.[i] ?? 0) - (rb?.[i] ?? 0));
  return sum / (ra?.length ?? 1);
}
