import type { JobError, JobRecord, RoutingNote, VendorId } from "@facegate/core";
import { faceLimits, judgeFaces } from "@facegate/vendors";

/**
 * The pre-flight's say in routing: among `candidates` (in preference order), those that would
 * take the faces found, with a note for each one passed over. When none would, the refusal of
 * the first — the vendor the caller named, or the one `auto` prefers — is the job's answer.
 */
export function routeByFaces(
  record: JobRecord,
  candidates: readonly VendorId[],
): { fit: VendorId[]; notes: RoutingNote[] } | { refused: JobError } {
  const findings = record.faces;
  const images = findings ? (findings.merges ?? (findings.target ? [findings.target] : [])) : [];
  if (!findings || images.length === 0) return { fit: [...candidates], notes: [] };
  const fit: VendorId[] = [];
  const notes: RoutingNote[] = [];
  let first: JobError | undefined;
  for (const vendor of candidates) {
    const refusal = judgeFaces(images, faceLimits(vendor, record.operation), vendor);
    if (!refusal) {
      fit.push(vendor);
      continue;
    }
    first ??= refusal;
    notes.push({
      vendor,
      outcome: "skipped",
      reason: `pre-flight: ${refusal.code} (${refusal.message})`,
      at: Date.now(),
    });
  }
  if (fit.length === 0 && first) return { refused: first };
  return { fit, notes };
}
