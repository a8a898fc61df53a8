import type { FaultKind, VendorId } from "./vendor-config";

/** One request to a simulated vendor endpoint, as tests see it through `calls()`. */
export interface SimCall {
  vendor: VendorId;
  /** `face_fusion`, `expression` or `face_slimming`. */
  operation: string;
  /** Public label of the credential presented ("key#1", "token#2", "secretId#1", "unknown", "none"). */
  credential: string;
  /** Arrival time on the simulator's clock (ms since the epoch). */
  at: number;
  /** HTTP status sent; 0 when no answer was sent (timeout or reset). */
  status: number;
  /** The vendor's error code; null on success; `fault:<kind>` for timeouts, resets and malformed bodies. */
  code: string | null;
  /** Wall time from arrival to the answer (or to the fault). */
  latencyMs: number;
  /** SHA-256 (hex) of the target image bytes as received (first MergeInfo for Tencent). */
  targetSha256?: string;
  /** Set when the answer came from the script queue. */
  scripted?: boolean;
  /** Set when an injected fault shaped the answer. */
  fault?: FaultKind;
}

/** Keeps the newest calls only, so a long benchmark cannot grow the log without bound. */
const MAX_CALLS = 20_000;

export class CallLog {
  private entries: SimCall[] = [];

  record(call: SimCall): void {
    this.entries.push(call);
    if (this.entries.length > MAX_CALLS) this.entries.splice(0, this.entries.length - MAX_CALLS);
  }

  list(filter: { vendor?: VendorId; since?: number } = {}): SimCall[] {
    return this.entries
      .filter((c) => (filter.vendor ? c.vendor === filter.vendor : true))
      .filter((c) => (filter.since !== undefined ? c.at >= filter.since : true))
      .map((c) => ({ ...c }));
  }

  clear(): void {
    this.entries = [];
  }
}
