/** The largest input a job's record holds for its worker, in bytes (base64 in Redis: a third more). */
export const HELD_INPUT_MAX_BYTES = 256 * 1024;
/**
 * A tenant's new jobs hold their inputs only while it has fewer unfinished jobs than this: a job
 * a worker takes at once. Redis then holds at most this many jobs' small inputs per tenant.
 */
export const HOLD_WHILE_OPEN_BELOW = 16;

/**
 * The inputs a new job's record holds until the job is final, so its worker need not read them
 * back from S3: those the API read whole and small, when the tenant has few jobs open (`open`).
 * `hold` is handed each image read whole (`IngestOptions.hold`); `held` is what it kept.
 */
export function inputHolder(open: number): {
  held: Map<string, Buffer>;
  hold: ((key: string, bytes: Buffer) => void) | undefined;
} {
  const held = new Map<string, Buffer>();
  if (open >= HOLD_WHILE_OPEN_BELOW) return { held, hold: undefined };
  return {
    held,
    hold: (key, bytes) => {
      if (bytes.length <= HELD_INPUT_MAX_BYTES) held.set(key, bytes);
    },
  };
}
