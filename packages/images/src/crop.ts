import { openImage, runPipeline } from "./decode";
import { DEFAULT_MAX_PIXELS, probeImage } from "./probe";

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Cut a region out of an image (in its oriented pixels: EXIF orientation applied first, as every
 * face box is measured), as a high-quality JPEG that `normaliseForVendor` then fits to the
 * vendor's bytes. Used to send a face at full resolution rather than shrink the whole photo.
 */
export async function cropRegion(
  bytes: Buffer,
  region: Region,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<Buffer> {
  const probed = await probeImage(bytes, { maxPixels });
  const image = await openImage(bytes, probed, maxPixels);
  const { data } = await runPipeline(
    image.rotate().extract(region).jpeg({ quality: 95, chromaSubsampling: "4:4:4" }),
  );
  return data;
}
