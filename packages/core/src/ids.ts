import { randomBytes } from "node:crypto";

/**
 * Sortable ids: a millisecond timestamp in base 36 (9 chars, sorts until year 5188) then random.
 * `job_lx2k3m9a0f3k…` — newest-first listing can fall back on the id itself.
 */
export function newId(
  prefix: "job" | "bat" | "evt" | "dlv" | "whe" | "key" | "call",
  now = Date.now(),
): string {
  return `${prefix}_${now.toString(36).padStart(9, "0")}${randomBytes(10).toString("hex")}`;
}

const ID_PATTERN = /^(job|bat|evt|dlv|whe|key|call)_[0-9a-z]{29}$/;

export function isId(value: string, prefix?: string): boolean {
  return ID_PATTERN.test(value) && (prefix === undefined || value.startsWith(`${prefix}_`));
}
