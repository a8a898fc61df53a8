/**
 * A small BMP reader. AILab face fusion documents BMP as an accepted format, but the sharp build
 * in this tree has no BMP loader, so the simulator decodes the common uncompressed variants itself
 * (8-bit palette, 24-bit, 32-bit with or without bit fields). Anything else counts as undecodable,
 * which is what a picky vendor decoder would answer too.
 */

export interface BmpHeader {
  width: number;
  height: number;
  /** Rows are stored top row first (negative height in the file). */
  topDown: boolean;
  bitsPerPixel: number;
  compression: number;
  dataOffset: number;
  dibSize: number;
}

export interface RgbPixels {
  data: Buffer;
  width: number;
  height: number;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
/** Refuse absurd headers before allocating (a 50-megapixel BMP is far beyond every vendor limit). */
const MAX_PIXELS = 50_000_000;

export function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function readBmpHeader(bytes: Buffer): BmpHeader | null {
  if (!isBmp(bytes)) return null;
  const dataOffset = bytes.readUInt32LE(10);
  const dibSize = bytes.readUInt32LE(14);
  if (dibSize === 12) {
    return {
      width: bytes.readUInt16LE(18),
      height: bytes.readUInt16LE(20),
      topDown: false,
      bitsPerPixel: bytes.readUInt16LE(24),
      compression: BI_RGB,
      dataOffset,
      dibSize,
    };
  }
  if (dibSize < 40 || bytes.length < 14 + 40) return null;
  const rawHeight = bytes.readInt32LE(22);
  const width = bytes.readInt32LE(18);
  if (width <= 0 || rawHeight === 0) return null;
  return {
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitsPerPixel: bytes.readUInt16LE(28),
    compression: bytes.readUInt32LE(30),
    dataOffset,
    dibSize,
  };
}

/** Decodes to packed RGB, or null when the file is truncated or uses an unsupported variant. */
export function decodeBmp(bytes: Buffer): RgbPixels | null {
  const header = readBmpHeader(bytes);
  if (!header) return null;
  const { width, height, bitsPerPixel: bpp, compression } = header;
  if (width * height > MAX_PIXELS) return null;
  const supported =
    (compression === BI_RGB && (bpp === 8 || bpp === 24 || bpp === 32)) ||
    (compression === BI_BITFIELDS && bpp === 32);
  if (!supported) return null;

  const rowBytes = Math.ceil((width * bpp) / 32) * 4;
  if (header.dataOffset + rowBytes * height > bytes.length) return null;
  const palette = bpp === 8 ? readPalette(bytes, header) : null;
  if (bpp === 8 && !palette) return null;
  const masks = compression === BI_BITFIELDS ? readMasks(bytes) : null;

  const out = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const srcRow = header.dataOffset + (header.topDown ? y : height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (palette) {
        const p = (bytes[srcRow + x] ?? 0) * 3;
        out[o] = palette[p] ?? 0;
        out[o + 1] = palette[p + 1] ?? 0;
        out[o + 2] = palette[p + 2] ?? 0;
      } else if (masks) {
        const v = bytes.readUInt32LE(srcRow + x * 4);
        out[o] = applyMask(v, masks.red);
        out[o + 1] = applyMask(v, masks.green);
        out[o + 2] = applyMask(v, masks.blue);
      } else {
        const s = srcRow + x * (bpp / 8);
        out[o] = bytes[s + 2] ?? 0;
        out[o + 1] = bytes[s + 1] ?? 0;
        out[o + 2] = bytes[s] ?? 0;
      }
    }
  }
  return { data: out, width, height };
}

/** Palette entries are BGRX (BGR for the old 12-byte core header); returned as RGB triples. */
function readPalette(bytes: Buffer, header: BmpHeader): Buffer | null {
  const entrySize = header.dibSize === 12 ? 3 : 4;
  const declared = header.dibSize >= 40 ? bytes.readUInt32LE(46) : 0;
  const count = declared > 0 && declared <= 256 ? declared : 256;
  const start = 14 + header.dibSize;
  if (start + count * entrySize > header.dataOffset) return null;
  const rgb = Buffer.alloc(256 * 3);
  for (let i = 0; i < count; i++) {
    const s = start + i * entrySize;
    rgb[i * 3] = bytes[s + 2] ?? 0;
    rgb[i * 3 + 1] = bytes[s + 1] ?? 0;
    rgb[i * 3 + 2] = bytes[s] ?? 0;
  }
  return rgb;
}

/** Channel masks sit right after the 40-byte header (inside it for V4/V5 headers): same offset. */
function readMasks(bytes: Buffer): { red: number; green: number; blue: number } {
  return { red: bytes.readUInt32LE(54), green: bytes.readUInt32LE(58), blue: bytes.readUInt32LE(62) };
}

function applyMask(value: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return Math.round((((value & mask) >>> shift) * 255) / max);
}
