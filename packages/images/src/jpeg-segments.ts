import { ImageError } from "./errors";
import { orientationOnlyTiff, readTiffOrientation } from "./exif-orientation";

/**
 * JPEG segment surgery: remove metadata and add an XMP packet without touching the compressed
 * image data, so marking costs a copy of the file instead of a decode and re-encode.
 *
 * What is kept is an allow-list of what a decoder needs to render the image as intended:
 * every non-APPn marker segment, APP0 JFIF, APP2 ICC_PROFILE and APP14 Adobe (colour
 * transform). Everything else goes: APP1 Exif and XMP, APP13 Photoshop/IPTC, COM, other APPn,
 * and all bytes after EOI (motion-photo videos, MPF secondary images and gain maps, which carry
 * their own metadata and which vendors never read).
 */

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");
export const JPEG_XMP_HEADER = Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1");
const KEPT_APP_SEGMENTS: ReadonlyMap<number, Buffer> = new Map([
  [APP0, Buffer.from("JFIF\0", "latin1")],
  [APP2, Buffer.from("ICC_PROFILE\0", "latin1")],
  [APP14, Buffer.from("Adobe", "latin1")],
]);

/** A marker segment (from its 0xFF, with its length field), or entropy-coded data (`marker` undefined). */
export interface JpegPart {
  marker: number | undefined;
  start: number;
  end: number;
}

export interface JpegLayout {
  parts: JpegPart[];
  /** Offset just past EOI; -1 when the walk stopped at the first scan. */
  end: number;
}

const truncated = () => new ImageError("invalid_image", "the JPEG image is truncated");
const malformed = (what: string) => new ImageError("invalid_image", `the JPEG image is malformed: ${what}`);

/**
 * Walk the file's structure from SOI to EOI, skipping segments by their length and scanning
 * entropy-coded data for the next marker (native `indexOf`, so it is cheap even for large files).
 * With `stopAtScan`, stops at the first SOS: enough to read metadata from a partial file.
 */
export function walkJpeg(bytes: Buffer, options: { stopAtScan?: boolean } = {}): JpegLayout {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw malformed("no SOI marker");
  const parts: JpegPart[] = [];
  let pos = 2;
  for (;;) {
    if (pos + 2 > bytes.length) throw truncated();
    if (bytes[pos] !== 0xff) {
      // Stray bytes between segments: libjpeg warns and resynchronises on the next marker, and
      // so do we (dropping them), rather than refusing a photo every decoder shows.
      pos = bytes.indexOf(0xff, pos);
      if (pos < 0) throw truncated();
    }
    let m = pos + 1;
    while (m < bytes.length && bytes[m] === 0xff) m++; // fill bytes may precede any marker
    if (m >= bytes.length) throw truncated();
    const marker = bytes[m]!;
    const start = m - 1;
    if (marker === EOI) return { parts, end: m + 1 };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push({ marker, start, end: m + 1 }); // TEM and RSTn have no length field
      pos = m + 1;
      continue;
    }
    if (marker === 0x00 || marker === SOI) throw malformed(`unexpected marker 0x${marker.toString(16)}`);
    if (m + 3 > bytes.length) throw truncated();
    const length = bytes.readUInt16BE(m + 1);
    if (length < 2) throw malformed("segment length below 2");
    const end = m + 1 + length;
    if (end > bytes.length) throw truncated();
    parts.push({ marker, start, end });
    pos = end;
    if (marker === SOS) {
      if (options.stopAtScan) return { parts, end: -1 };
      const dataEnd = entropyDataEnd(bytes, end);
      parts.push({ marker: undefined, start: end, end: dataEnd });
      pos = dataEnd;
    }
  }
}

/** Entropy-coded data runs to the first 0xFF that is neither a stuffed 0xFF00 nor a restart marker. */
function entropyDataEnd(bytes: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = bytes.indexOf(0xff, i);
    if (i < 0 || i + 1 >= bytes.length) throw truncated();
    const next = bytes[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2;
    else if (next === 0xff) i += 1;
    else return i;
  }
}

/**
 * Drop metadata and, when given, insert one APP1 XMP packet right after SOI (and APP0 JFIF,
 * which must stay first). A non-1 EXIF orientation survives as a minimal EXIF block, so the
 * result displays exactly as the input did.
 */
export function rewriteJpeg(bytes: Buffer, options: { xmp?: string } = {}): Buffer {
  const { parts } = walkJpeg(bytes);
  let orientation = 1;
  let exifSeen = false;
  const leading: Buffer[] = [];
  const kept: Buffer[] = [];
  for (const [index, part] of parts.entries()) {
    const raw = bytes.subarray(part.start, part.end);
    if (part.marker === undefined || !isMetadataMarker(part.marker)) {
      kept.push(raw);
      continue;
    }
    const payload = bytes.subarray(part.start + 4, part.end);
    if (part.marker === APP1 && !exifSeen && startsWith(payload, EXIF_HEADER)) {
      exifSeen = true; // like libjpeg-based readers, trust the first EXIF block only
      orientation = readTiffOrientation(payload.subarray(EXIF_HEADER.length));
    }
    const prefix = KEPT_APP_SEGMENTS.get(part.marker);
    if (prefix === undefined || !startsWith(payload, prefix)) continue;
    (index === 0 && part.marker === APP0 ? leading : kept).push(raw);
  }

  const inserted: Buffer[] = [];
  if (orientation !== 1) {
    inserted.push(segment(APP1, Buffer.concat([EXIF_HEADER, orientationOnlyTiff(orientation)])));
  }
  if (options.xmp !== undefined) {
    inserted.push(segment(APP1, Buffer.concat([JPEG_XMP_HEADER, Buffer.from(options.xmp, "utf8")])));
  }
  return Buffer.concat([
    Buffer.from([0xff, SOI]),
    ...leading,
    ...inserted,
    ...kept,
    Buffer.from([0xff, EOI]),
  ]);
}

/** The first APP1 XMP packet before the first scan, if any. Works on a partial file. */
export function findJpegXmp(bytes: Buffer): Buffer | undefined {
  for (const part of walkJpeg(bytes, { stopAtScan: true }).parts) {
    if (part.marker !== APP1) continue;
    const payload = bytes.subarray(part.start + 4, part.end);
    if (startsWith(payload, JPEG_XMP_HEADER)) return payload.subarray(JPEG_XMP_HEADER.length);
  }
  return undefined;
}

function isMetadataMarker(marker: number): boolean {
  return (marker >= APP0 && marker <= APP15) || marker === COM;
}

function segment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new RangeError("a JPEG segment holds at most 65533 bytes");
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function startsWith(payload: Buffer, prefix: Buffer): boolean {
  return payload.length >= prefix.length && payload.subarray(0, prefix.length).equals(prefix);
}
