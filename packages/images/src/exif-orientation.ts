/**
 * The one EXIF fact facegate carries across metadata stripping: the Orientation tag (0x0112).
 * Dropping it would silently turn a portrait photo on its side, so `stripMetadata` keeps a
 * minimal EXIF block holding only this tag when it is not 1. Everything else (GPS, camera,
 * timestamps, thumbnails) goes.
 *
 * Both functions work on the bare TIFF structure: what a PNG `eXIf` chunk holds, and what a
 * JPEG APP1 segment holds after its `Exif\0\0` header.
 */

const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;

/** Orientation 1..8 from a TIFF-structured EXIF block; 1 when absent or malformed. */
export function readTiffOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const order = tiff.toString("latin1", 0, 2);
  if (order !== "II" && order !== "MM") return 1;
  const le = order === "II";
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));

  const ifd0 = u32(4);
  if (ifd0 + 2 > tiff.length) return 1;
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    const type = u16(entry + 2);
    const value = type === TYPE_SHORT ? u16(entry + 8) : type === TYPE_LONG ? u32(entry + 8) : 0;
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

/** A 26-byte big-endian TIFF block with IFD0 holding only Orientation. */
export function orientationOnlyTiff(orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write("MM\0*", 0, "latin1");
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(ORIENTATION_TAG, 10);
  tiff.writeUInt16BE(TYPE_SHORT, 12);
  tiff.writeUInt32BE(1, 14); // count
  tiff.writeUInt16BE(orientation, 18); // SHORT value, left-justified in the 4-byte field
  tiff.writeUInt32BE(0, 22); // no IFD1 (so no thumbnail)
  return tiff;
}
