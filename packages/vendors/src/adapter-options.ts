/** What every adapter factory takes besides its slice of `Config["vendors"]`. */
export interface AdapterOptions {
  /** Clock in ms: result-URL expiry and Tencent's signing timestamp. @defaultValue Date.now */
  now?: (() => number) | undefined;
  /** TCP and TLS connect timeout in ms. @defaultValue min(VENDOR_TIMEOUT_MS, 10 000) */
  connectTimeoutMs?: number | undefined;
  /** Largest vendor response accepted, in bytes. @defaultValue 32 MiB */
  maxResponseBytes?: number | undefined;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * `base` + `path`, keeping any path prefix of the base (a simulator or proxy mounted under `/ailab`),
 * which `new URL(path, base)` would drop.
 */
export function endpoint(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, "")}${path}`);
}
