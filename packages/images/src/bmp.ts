import { ImageError } from "./errors";

/**
 * BMP, read by hand: AILab accepts it, but sharp's prebuilt libvips has no BMP loader. BMP is
 * uncompressed, so a photo in it easily exceeds a vendor's byte limit and must be converted;
 * decoding the common layouts into raw pixels lets sharp do the rest. RLE and embedded
 * JPEG/PNG variants are refused: rare, and not worth a decoder's attack surface.
 */

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export interface BmpHeader {
  width: number;
  height: number;
  /** Rows stored top-down (negative height in the file) rather than bottom-up. */
  topDown: boolean;
  bitsPerPixel: number;
  dataOffset: number;
  /** Palette as RGB triples, for 1/4/8-bit images. */
  palette: Array<[number, number, number]>;
  /** Channel masks for 16/32-bit images; alpha 0 when there is none. */
  masks: { r: number; g: number; b: number; a: number };
  hasAlpha: boolean;
  /** Palette images whose palette is all greys. */
  isGrayscale: boolean;
}

const invalid = (what: string) => new ImageError("invalid_image", `unsupported or malformed BMP: ${what}`);

export function readBmpHeader(bytes: Buffer): BmpHeader {
  if (bytes.length < 26) throw invalid("header too short");
  const dibSize = bytes.readUInt32LE(14);
  const core = dibSize === 12; // OS/2 BITMAPCOREHEADER: 16-bit sizes, 3-byte palette entries
  if (!core && bytes.length < 54) throw invalid("header too short");
  const width = core ? bytes.readUInt16LE(18) : bytes.readInt32LE(18);
  const rawHeight = core ? bytes.readUInt16LE(20) : bytes.readInt32LE(22);
  const bitsPerPixel = bytes.readUInt16LE(core ? 24 : 28);
  const compression = core ? BI_RGB : bytes.readUInt32LE(30);
  if (width <= 0 || rawHeight === 0) throw invalid("no pixels");

  let masks = { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 }; // BI_RGB 16-bit is 5-5-5
  if (bitsPerPixel === 32 || bitsPerPixel === 24) masks = { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 };
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    if (bitsPerPixel !== 16 && bitsPerPixel !== 32) throw invalid("bit fields need 16 or 32 bits");
    const withAlpha = compression === BI_ALPHABITFIELDS || dibSize >= 56;
    if (bytes.length < 54 + (withAlpha ? 16 : 12)) throw invalid("header too short");
    // Masks follow a 40-byte header, or sit inside a v2+ header at the same offset.
    masks = {
      r: bytes.readUInt32LE(54),
      g: bytes.readUInt32LE(58),
      b: bytes.readUInt32LE(62),
      a: withAlpha ? bytes.readUInt32LE(66) : 0,
    };
  } else if (compression !== BI_RGB) {
    throw invalid(`compression ${compression}`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw invalid(`${bitsPerPixel} bits per pixel`);

  const palette: Array<[number, number, number]> = [];
  if (bitsPerPixel <= 8) {
    const entrySize = core ? 3 : 4;
    const declared = core ? 0 : bytes.readUInt32LE(46);
    const count = Math.min(declared || 1 << bitsPerPixel, 1 << bitsPerPixel);
    let at = 14 + dibSize;
    for (let i = 0; i < count; i++, at += entrySize) {
      if (at + 3 > bytes.length) throw invalid("palette truncated");
      palette.push([bytes[at + 2]!, bytes[at + 1]!, bytes[at]!]); // stored as BGR
    }
  }
  return {
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bitsPerPixel,
    dataOffset: bytes.readUInt32LE(10),
    palette,
    masks,
    hasAlpha: masks.a !== 0,
    isGrayscale: palette.length > 0 && palette.every(([r, g, b]) => r === g && g === b),
  };
}

/** Raw top-down RGB or RGBA pixels. The caller has checked width × height against its pixel limit. */
export function decodeBmp(bytes: Buffer, header: BmpHeader): { data: Buffer; channels: 3 | 4 } {
  const { width, height, bitsPerPixel: bpp, palette } = header;
  const stride = Math.floor((bpp * width + 31) / 32) * 4; // rows are padded to 4 bytes
  if (header.dataOffset + stride * height > bytes.length) {
    throw new ImageError("invalid_image", "the BMP image is truncated");
  }
  const channels = header.hasAlpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  const fields = [header.masks.r, header.masks.g, header.masks.b, header.masks.a].map(field);
  let out = 0;
  for (let y = 0; y < height; y++) {
    const row = header.dataOffset + (header.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const [r, g, b] = palette[index] ?? [0, 0, 0];
        data[out++] = r;
        data[out++] = g;
        data[out++] = b;
        continue;
      }
      const at = row + x * (bpp >> 3);
      const value =
        bpp === 16 ? bytes.readUInt16LE(at) : bpp === 24 ? bytes.readUIntLE(at, 3) : bytes.readUInt32LE(at);
      for (let c = 0; c < channels; c++) data[out++] = fields[c]!(value);
    }
  }
  return { data, channels };
}

/** A mask such as 0x03e0 turned into "extract those bits and scale them to 0..255". */
function field(mask: number): (value: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  const max = mask >>> shift;
  return (value) => Math.round((((value & mask) >>> shift) * 255) / max);
}
