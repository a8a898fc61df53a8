/**
 * Real images for the tests, made by sharp at test time (plus the few formats and malformed
 * files sharp cannot write, crafted byte by byte). Test support only; not exported.
 */
import { deflateSync } from "node:zlib";
import sharp from "sharp";
import { pngChunk } from "./png-chunks";

/** A colourful picture with noise, so encoders cannot shrink it to nothing. */
export function photoPixels(width: number, height: number, seed = 1): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
      const noise = (state >> 16) & 0x3f;
      const i = (y * width + x) * 3;
      data[i] = Math.min(255, Math.floor((x * 255) / width) + noise);
      data[i + 1] = Math.min(255, Math.floor((y * 255) / height) + noise);
      data[i + 2] = Math.min(255, 96 + noise);
    }
  }
  return data;
}

export function photo(width: number, height: number, seed = 1) {
  return sharp(photoPixels(width, height, seed), { raw: { width, height, channels: 3 } });
}

/** EXIF the way a phone writes it: camera, timestamp and a GPS position. */
export const PHONE_EXIF = {
  IFD0: { Make: "Phone", Model: "Camera 9", DateTime: "2024:05:01 10:00:00" },
  IFD3: {
    GPSLatitudeRef: "N",
    GPSLatitude: "52/1 31/1 12/1",
    GPSLongitudeRef: "E",
    GPSLongitude: "13/1 24/1 0/1",
  },
};

/** A 64×32 JPEG (left half red, right half blue) with GPS EXIF and orientation 6. */
export function orientedPhoneJpeg(): Promise<Buffer> {
  return halves(64, 32)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .withExif(PHONE_EXIF)
    .toBuffer();
}

/** Left half red, right half blue: which way is up survives any rotation. */
export function halves(width: number, height: number) {
  const left = {
    input: { create: { width: width / 2, height, channels: 3 as const, background: "#ff0000" } },
  };
  return sharp({ create: { width, height, channels: 3, background: "#0000ff" } }).composite([
    { ...left, left: 0, top: 0 },
  ]);
}

/** A PNG carrying every kind of text chunk, a timestamp and EXIF. */
export async function pngWithText(width = 48, height = 40): Promise<Buffer> {
  const png = await photo(width, height).png().withExif(PHONE_EXIF).toBuffer();
  const extra = [
    pngChunk("tEXt", Buffer.from("Author\0Jane Doe", "latin1")),
    pngChunk("zTXt", Buffer.concat([Buffer.from("Comment\0\0", "latin1"), deflateSync("secret")])),
    pngChunk("iTXt", Buffer.from("Description\0\0\0en\0\0taken at home", "utf8")),
    pngChunk("tIME", Buffer.from([0x07, 0xe8, 5, 1, 10, 0, 0])),
  ];
  return insertAfterIhdr(png, extra);
}

export function insertAfterIhdr(png: Buffer, chunks: Buffer[]): Buffer {
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

/** A valid PNG whose header claims 30000×30000 pixels (a decompression bomb's shape). */
export function pngBombHeader(side = 30_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = deflateSync(Buffer.alloc(1024)); // a tiny stream that would inflate to 2.7 GB if followed
  return Buffer.concat([
    signature,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", idat),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An uncompressed BMP (sharp cannot write one): 24-bit bottom-up, or 8-bit with a grey palette. */
export function bmp(width: number, height: number, kind: "rgb" | "grey" = "rgb", seed = 1): Buffer {
  const bpp = kind === "rgb" ? 24 : 8;
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  const paletteSize = kind === "grey" ? 256 * 4 : 0;
  const offset = 54 + paletteSize;
  const file = Buffer.alloc(offset + stride * height);
  file.write("BM", 0, "latin1");
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offset, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(width, 18);
  file.writeInt32LE(height, 22); // positive: bottom-up rows
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(bpp, 28);
  for (let i = 0; i < 256 && kind === "grey"; i++) file.fill(i, 54 + i * 4, 54 + i * 4 + 3);
  const pixels = photoPixels(width, height, seed);
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      if (kind === "grey") file[row + x] = pixels[p]!;
      else {
        file[row + x * 3] = pixels[p + 2]!; // BGR
        file[row + x * 3 + 1] = pixels[p + 1]!;
        file[row + x * 3 + 2] = pixels[p]!;
      }
    }
  }
  return file;
}

/** Decoded pixels, to show that surgery left the image data alone. */
export async function pixels(image: Buffer): Promise<Buffer> {
  return sharp(image).raw().toBuffer();
}

/** The RGB value at (x, y) as displayed. */
export async function pixelAt(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).rotate().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
