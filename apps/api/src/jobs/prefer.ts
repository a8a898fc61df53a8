import { Problem } from "../problem";

/** `Prefer: wait=N` (RFC 7240), 1..max seconds; undefined when absent. */
export function preferredWait(header: string | undefined, maxS: number): number | undefined {
  if (!header) return undefined;
  const match = /(?:^|[,;\s])wait\s*=\s*"?(\d+)"?/i.exec(header);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  if (seconds < 1 || seconds > maxS) {
    throw new Problem(400, "invalid_prefer_wait", `Prefer: wait must be between 1 and ${maxS} seconds`);
  }
  return seconds;
}
