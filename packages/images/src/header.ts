import { readTiffOrientation } from "./exif-orientation";
import { walkJpeg } from "./jpeg-segments";
import { walkPng } from "./png-chunks";

/** What the JPEG/PNG structure says, read without libvips (a few microseconds, not a native call). */
export interface HeaderFacts {
  /** Width and height as stored in the file (before EXIF orientation). */
  width: number;
  height: number;
  /** EXIF orientation 1..8; 1 when absent. */
  orientation: number;
  channels: number;
  hasAlpha: boolean;
  /** Known black-and-white from the header alone (grey colour space or 1–2 channels). */
  isGrayscale: boolean;
  /** libvips colour space interpretation, e.g. `srgb`, `b-w`, `cmyk`. */
  colourSpace: string;
  /** Frames or pages; only the first is ever used. */
  pages: number;
}

const EXIF_HEADER = Buffer.from("Exif\0\0", "latin1");
/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * JPEG: size and components from the frame header, orientation from EXIF, CMYK from the
 * component count. Undefined when the structure cannot be read this way (then ask libvips).
 */
export function readJpegHeader(bytes: Buffer): HeaderFacts | undefined {
  let layout: ReturnType<typeof walkJpeg>;
  try {
    layout = walkJpeg(bytes, { stopAtScan: true });
  } catch {
    return undefined;
  }
  let orientation = 1;
  for (const part of layout.parts) {
    const marker = part.marker;
    if (marker === 0xe1 && orientation === 1) {
      const body = bytes.subarray(part.start + 4, part.end);
      if (body.subarray(0, 6).equals(EXIF_HEADER)) orientation = readTiffOrientation(body.subarray(6));
    }
    if (marker !== undefined && isStartOfFrame(marker) && part.end - part.start >= 10) {
      const height = bytes.readUInt16BE(part.start + 5);
      const width = bytes.readUInt16BE(part.start + 7);
      const channels = bytes[part.start + 9]!;
      if (width === 0 || height === 0 || ![1, 3, 4].includes(channels)) return undefined;
      return {
        width,
        height,
        orientation,
        channels,
        hasAlpha: false,
        isGrayscale: channels === 1,
        colourSpace: channels === 1 ? "b-w" : channels === 4 ? "cmyk" : "srgb",
        pages: 1,
      };
    }
  }
  return undefined;
}

/** PNG: IHDR says size, colour type and bit depth; acTL says it is animated; eXIf may rotate. */
export function readPngHeader(bytes: Buffer): HeaderFacts | undefined {
  let chunks: ReturnType<typeof walkPng>;
  try {
    chunks = walkPng(bytes, { stopAtData: true });
  } catch {
    return undefined;
  }
  const ihdr = chunks[0];
  if (!ihdr || ihdr.data.length < 13) return undefined;
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  const colourType = ihdr.data[9]!;
  if (width === 0 || height === 0) return undefined;
  const grey = colourType === 0 || colourType === 4;
  const alpha = colourType === 4 || colourType === 6 || chunks.some((c) => c.type === "tRNS");
  const baseChannels =
    colourType === 0 || colourType === 3
      ? colourType === 0
        ? 1
        : 3
      : colourType === 4
        ? 2
        : colourType === 2
          ? 3
          : 4;
  const channels = colourType === 3 && alpha ? 4 : colourType === 0 && alpha ? 2 : baseChannels;
  const actl = chunks.find((c) => c.type === "acTL");
  const exif = chunks.find((c) => c.type === "eXIf");
  return {
    width,
    height,
    orientation: exif ? readTiffOrientation(exif.data) : 1,
    channels,
    hasAlpha: alpha,
    isGrayscale: grey,
    colourSpace: grey ? "b-w" : "srgb",
    pages: actl && actl.data.length >= 4 ? Math.max(1, actl.data.readUInt32BE(0)) : 1,
  };
}
