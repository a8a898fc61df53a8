import type { Response } from "express";
import type { FaultKind, FaultShares } from "./vendor-config";

/**
 * Fault injection: which processed call fails how, decided by a seedable generator so a test
 * with a fixed seed sees the same sequence of faults on every run.
 */

/** mulberry32: tiny, fast and good enough to spread faults; not for anything secret. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  pick<T>(items: readonly [T, ...T[]]): T {
    return items[Math.floor(this.next() * items.length)] ?? items[0];
  }
}

/** Order in which shares are laid out on [0, 1): one roll decides at most one fault. */
const ROLL_ORDER: readonly FaultKind[] = ["reset", "timeout", "transient", "malformed"];

export function rollFault(shares: FaultShares, rng: Prng): FaultKind | null {
  const roll = rng.next();
  let edge = 0;
  for (const kind of ROLL_ORDER) {
    edge += shares[kind];
    if (roll < edge) return kind;
  }
  return null;
}

export function latencyFor(latencyMs: number, jitterMs: number, rng: Prng): number {
  return latencyMs + (jitterMs > 0 ? Math.floor(rng.next() * jitterMs) : 0);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * A 200 whose body will not parse: half the time an HTML error page (what a proxy in front of
 * the vendor sends), otherwise the vendor's own success JSON cut off half way.
 */
export function malformedBody(successPrefix: string, rng: Prng): { contentType: string; body: string } {
  if (rng.next() < 0.5) {
    return {
      contentType: "text/html; charset=utf-8",
      body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    };
  }
  return {
    contentType: "application/json",
    body: successPrefix.slice(0, Math.ceil(successPrefix.length / 2)),
  };
}

/** Kills the TCP connection without an HTTP answer, like a crashed upstream. */
export function resetConnection(res: Response): void {
  res.req.socket.destroy();
}

/**
 * Never answers: the request stays open until the client gives up or the simulator closes
 * (close() drops every open connection).
 */
export function hang(res: Response): void {
  res.req.socket.setTimeout(0);
}
