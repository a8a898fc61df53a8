import { crc32, inflateSync } from "node:zlib";
import { ImageError } from "./errors";
import { orientationOnlyTiff, readTiffOrientation } from "./exif-orientation";

/**
 * PNG chunk surgery: remove metadata and add an XMP packet without touching IDAT, so marking
 * costs a copy of the file instead of a decode and re-encode.
 *
 * Critical chunks (upper-case first letter: IHDR, PLTE, IDAT, IEND) are always kept. Ancillary
 * chunks are kept only when they change how the image renders or animates; everything else
 * (eXIf, tEXt, zTXt, iTXt, tIME, and unknown private chunks, which may hold EXIF in
 * ImageMagick's "Raw profile" form or camera data) goes, as do bytes after IEND.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RENDERING_CHUNKS = new Set([
  "PLTE",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "iCCP",
  "cICP",
  "mDCv",
  "cLLi",
  "sBIT",
  "bKGD",
  "pHYs",
  "hIST",
  "sPLT",
  "acTL", // APNG animation control and frames
  "fcTL",
  "fdAT",
]);
export const PNG_XMP_KEYWORD = "XML:com.adobe.xmp";

export interface PngChunk {
  type: string;
  /** Offset of the length field; the chunk spans `start` to `end` including its CRC. */
  start: number;
  end: number;
  data: Buffer;
}

const truncated = () => new ImageError("invalid_image", "the PNG image is truncated");
const malformed = (what: string) => new ImageError("invalid_image", `the PNG image is malformed: ${what}`);

/**
 * The chunks from the signature to IEND, found by their length fields (no decompression).
 * With `stopAtData`, stops before the first IDAT: enough to read metadata from a partial file.
 * CRCs are not verified: the decoder checks them, and surgery keeps the original bytes.
 */
export function walkPng(bytes: Buffer, options: { stopAtData?: boolean } = {}): PngChunk[] {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw malformed("no PNG signature");
  const chunks: PngChunk[] = [];
  let pos = 8;
  for (;;) {
    if (pos + 12 > bytes.length) throw truncated();
    const length = bytes.readUInt32BE(pos);
    if (length > 0x7fffffff) throw malformed("chunk length out of range");
    const type = bytes.toString("latin1", pos + 4, pos + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed("invalid chunk type");
    if (chunks.length === 0 && type !== "IHDR") throw malformed("IHDR is not the first chunk");
    if (type === "IDAT" && options.stopAtData) return chunks;
    const end = pos + 12 + length;
    if (end > bytes.length) throw truncated();
    chunks.push({ type, start: pos, end, data: bytes.subarray(pos + 8, pos + 8 + length) });
    if (type === "IEND") return chunks;
    pos = end;
  }
}

/**
 * Drop metadata chunks and, when given, insert an iTXt XMP chunk right after IHDR (so before
 * any IDAT, where readers that stop at image data still find it). A non-1 eXIf orientation
 * survives as a minimal eXIf chunk, so the result displays as the input did.
 */
export function rewritePng(bytes: Buffer, options: { xmp?: string } = {}): Buffer {
  const chunks = walkPng(bytes);
  const exif = chunks.find((c) => c.type === "eXIf");
  const orientation = exif ? readTiffOrientation(exif.data) : 1;
  const out: Buffer[] = [SIGNATURE];
  for (const chunk of chunks) {
    const critical = chunk.type.charCodeAt(0) < 0x61; // upper-case first letter
    if (!critical && !RENDERING_CHUNKS.has(chunk.type)) continue;
    out.push(bytes.subarray(chunk.start, chunk.end));
    if (chunk.type !== "IHDR") continue;
    if (orientation !== 1) out.push(pngChunk("eXIf", orientationOnlyTiff(orientation)));
    if (options.xmp !== undefined) out.push(xmpChunk(options.xmp));
  }
  return Buffer.concat(out);
}

/** The XMP packet of the first `XML:com.adobe.xmp` iTXt chunk before the image data, if any. */
export function findPngXmp(bytes: Buffer): Buffer | undefined {
  for (const chunk of walkPng(bytes, { stopAtData: true })) {
    if (chunk.type !== "iTXt") continue;
    const keywordEnd = chunk.data.indexOf(0);
    if (chunk.data.toString("latin1", 0, keywordEnd) !== PNG_XMP_KEYWORD) continue;
    // keyword \0, compression flag, compression method, language \0, translated keyword \0, text
    const compressed = chunk.data[keywordEnd + 1] === 1;
    const languageEnd = chunk.data.indexOf(0, keywordEnd + 3);
    const translatedEnd = chunk.data.indexOf(0, languageEnd + 1);
    if (languageEnd < 0 || translatedEnd < 0) return undefined;
    const text = chunk.data.subarray(translatedEnd + 1);
    // XMP is small; cap inflation so a crafted chunk cannot balloon memory.
    return compressed ? inflateSync(text, { maxOutputLength: 1 << 20 }) : text;
  }
  return undefined;
}

function xmpChunk(xmp: string): Buffer {
  const header = Buffer.from(`${PNG_XMP_KEYWORD}\0\0\0\0\0`, "latin1"); // uncompressed, no language
  return pngChunk("iTXt", Buffer.concat([header, Buffer.from(xmp, "utf8")]));
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, "latin1");
  data.copy(chunk, 8);
  // The CRC covers the type and the data, not the length.
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}
