import type SharpModule from "sharp";

let loaded: typeof SharpModule | undefined;

/**
 * sharp (libvips) on first use. The API reads JPEG and PNG headers in JS and never needs it
 * for them; loading it lazily keeps ~10 MB of native library out of processes that do not.
 */
export async function libvips(): Promise<typeof SharpModule> {
  loaded ??= (await import("sharp")).default;
  return loaded;
}
