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
  /**
   * Set when the client had closed its connection before the answer was sent (its process died,
   * or it gave up): the call was made, and billed if it succeeded, but its answer reached nobody.
   */
  clientGone?: true;
}

/** Keeps the newest calls only, so a long benchmark cannot grow the log without bound. */
const MAX_CALLS = 20_000;

export class CallLog {
  private entries: SimCall[] = [];
  private readonly open = new Map<VendorId, number>();

  /** A call arrived (counted in `inFlight` until `ended`). */
  started(vendor: VendorId): void {
    this.open.set(vendor, (this.open.get(vendor) ?? 0) + 1);
  }

  ended(vendor: VendorId): void {
    this.open.set(vendor, Math.max(0, (this.open.get(vendor) ?? 0) - 1));
  }

  /** Calls arrived and not yet answered (or faulted), per vendor. */
  inFlight(): Record<VendorId, number> {
    return {
      ailab: this.open.get("ailab") ?? 0,
      aigs: this.open.get("aigs") ?? 0,
      tencent: this.open.get("tencent") ?? 0,
    };
  }

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
