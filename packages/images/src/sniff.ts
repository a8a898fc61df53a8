import type { ImageFormat } from "@facegate/core";

/** Bytes of the head `sniffFormat` needs to recognise every format (HEIF brands sit in the ftyp box). */
export const SNIFF_BYTES = 64;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** BITMAPINFOHEADER sizes (core, v1, v2, v3, OS/2 v2, v4, v5): "BM" alone is too weak a magic. */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

const AVIF_BRANDS = new Set(["avif", "avis"]);
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

/**
 * The image format, from magic bytes only. File names and declared content types are what a
 * client says; the bytes are what a decoder will see, so only they decide.
 */
export function sniffFormat(head: Buffer): ImageFormat | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG_SIGNATURE)) return "png";
  const ascii = head.toString("latin1", 0, Math.min(head.length, 16));
  if (ascii.startsWith("GIF87a") || ascii.startsWith("GIF89a")) return "gif";
  if (ascii.startsWith("RIFF") && ascii.slice(8, 12) === "WEBP") return "webp";
  // Classic TIFF (42) and BigTIFF (43), either byte order.
  if (/^(II[*+]\0|MM\0[*+])/.test(ascii)) return "tiff";
  if (ascii.startsWith("BM") && head.length >= 18 && BMP_DIB_SIZES.has(head.readUInt32LE(14))) return "bmp";
  return sniffIsoBmff(head);
}

/** HEIF and AVIF share the ISO-BMFF `ftyp` box; the brands tell them apart from video files. */
function sniffIsoBmff(head: Buffer): ImageFormat | undefined {
  if (head.length < 16 || head.toString("latin1", 4, 8) !== "ftyp") return undefined;
  const boxEnd = Math.min(head.readUInt32BE(0), head.length);
  const brands = [head.toString("latin1", 8, 12)];
  // Compatible brands follow the major brand and its 4-byte minor version.
  for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(head.toString("latin1", i, i + 4));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return "avif";
  if (brands.some((b) => HEIF_BRANDS.has(b))) return "heif";
  return undefined;
}
