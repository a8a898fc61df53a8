import type { LookupFunction } from "node:net";
import { Agent, buildConnector } from "undici";
import { classifyAddress } from "./address-policy";
import type { Allowlist } from "./allowlist";
import { guardedLookup } from "./guarded-lookup";
import { addressRefused, literalAddress } from "./url-policy";

export interface PinnedAgentOptions {
  allowlist: Allowlist;
  lookup: LookupFunction;
  /** TCP (+TLS) connect, including the DNS lookup. */
  connectTimeoutMs: number;
  /** From request sent to response headers received. */
  headersTimeoutMs: number;
  /** Longest silence between two body chunks. */
  bodyTimeoutMs: number;
}

/**
 * An undici Agent whose every new connection is judged where it is made. The URL checks in
 * `egress.ts` give early, friendly errors; this is the check that cannot be bypassed, because
 * it sits between "which address" and "connect": the address judged is the address connected to.
 */
export function createPinnedAgent(options: PinnedAgentOptions): Agent {
  const timeout = options.connectTimeoutMs;
  const guarded = buildConnector({ timeout, lookup: guardedLookup(options.lookup) });
  // Allow-listed host:port pairs skip the address policy (that is their point) but still use the
  // configured resolver, so tests that inject one see a single source of truth.
  const trusted = buildConnector({ timeout, lookup: options.lookup });

  const connect: buildConnector.connector = (connectOptions, callback) => {
    const { hostname, protocol } = connectOptions;
    const port = Number(connectOptions.port) || (protocol === "https:" ? 443 : 80);
    if (options.allowlist.has(hostname, port)) {
      trusted(connectOptions, callback);
      return;
    }
    // undici hands IPv6 literals without brackets; Node skips `lookup` for any literal.
    const literal = literalAddress(hostname);
    if (literal !== undefined) {
      const verdict = classifyAddress(literal);
      if (verdict !== "public") {
        const error = addressRefused(`${protocol}//${hostname}:${port}`, verdict, "is");
        // Async like every other connect failure, so undici's bookkeeping sees the usual order.
        process.nextTick(callback, error, null);
        return;
      }
    }
    guarded(connectOptions, callback);
  };

  return new Agent({
    connect,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  });
}
