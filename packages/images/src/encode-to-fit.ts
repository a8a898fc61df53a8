import type { Sharp } from "sharp";
import { type Encoded, runPipeline } from "./decode";
import { ImageError } from "./errors";
import { libvips } from "./libvips";

export type OutputFormat = "jpeg" | "png";

/** JPEG quality for re-encodes: visually lossless for photos; lower only when bytes demand it. */
export const JPEG_QUALITY = 90;
/**
 * Qualities tried, in order, when the first encode is over the byte limit. The last one is also
 * used while shrinking dimensions: below it faces visibly block up, and for face detection a few
 * more pixels are worth more than a few more quality points.
 */
const FALLBACK_QUALITIES = [80, 70];
const SHRINK_QUALITY = 70;
const MAX_SHRINK_STEPS = 8;

export function encoder(pipeline: Sharp, format: OutputFormat, quality = JPEG_QUALITY): Sharp {
  // libjpeg-turbo defaults rather than mozjpeg's trellis quantisation: much cheaper per encode,
  // and CPU per job is budgeted against its I/O.
  return format === "jpeg" ? pipeline.jpeg({ quality }) : pipeline.png();
}

/**
 * Encode `pipeline` (already oriented, resized and flattened as needed) so it fits in
 * `maxBytes`: first at JPEG_QUALITY, then at lower qualities, then at smaller sizes. Past the
 * first attempt the pixels are decoded once into memory and re-encoded from there, rather than
 * decoding the input again per attempt. Fails with `image_too_large` when fitting would take
 * a side below `minSide`.
 */
export async function encodeToFit(
  pipeline: Sharp,
  format: OutputFormat,
  limits: { maxBytes: number; minSide: number },
): Promise<Encoded> {
  const first = await runPipeline(encoder(pipeline.clone(), format));
  if (first.data.length <= limits.maxBytes) return first;

  const raw = await runPipeline(pipeline.clone().raw());
  const { width, height, channels } = raw.info;
  const sharp = await libvips();
  const fromRaw = () => sharp(raw.data, { raw: { width, height, channels } });

  let last = first;
  if (format === "jpeg") {
    for (const quality of FALLBACK_QUALITIES) {
      last = await runPipeline(encoder(fromRaw(), format, quality));
      if (last.data.length <= limits.maxBytes) return last;
    }
  } else {
    last = await runPipeline(fromRaw().png({ compressionLevel: 9 }));
    if (last.data.length <= limits.maxBytes) return last;
  }

  // Encoded size grows about with pixel count, so scale the area by the overshoot; at least 5 %
  // per step so a near miss still makes progress.
  let size = { width, height };
  for (let step = 0; step < MAX_SHRINK_STEPS; step++) {
    const scale = Math.min(0.95, Math.sqrt(limits.maxBytes / last.data.length));
    size = { width: Math.floor(size.width * scale), height: Math.floor(size.height * scale) };
    if (Math.min(size.width, size.height) < limits.minSide) break;
    const resized = fromRaw().resize(size.width, size.height, { fit: "fill" });
    last = await runPipeline(
      format === "jpeg" ? encoder(resized, format, SHRINK_QUALITY) : resized.png({ compressionLevel: 9 }),
    );
    if (last.data.length <= limits.maxBytes) return last;
  }
  throw new ImageError(
    "image_too_large",
    `the image cannot be made smaller than ${limits.maxBytes} bytes without going below ${limits.minSide} pixels a side`,
  );
}
