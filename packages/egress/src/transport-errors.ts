import type { Deadline } from "./deadline";
import { EgressError } from "./errors";

/** undici and Node codes for a phase that ran out of time. */
const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

/** Resolver answers meaning "this name has no address" (as opposed to "DNS is down right now"). */
const NO_ADDRESS_CODES = new Set(["ENOTFOUND", "EAI_NONAME", "EAI_NODATA", "ENODATA"]);

/** Mistakes in how we called undici, not failures of the remote side: let them surface as they are. */
const PROGRAMMING_CODES = new Set(["UND_ERR_INVALID_ARG", "UND_ERR_NOT_SUPPORTED", "ERR_INVALID_ARG_TYPE"]);

/**
 * Turn whatever a request or a body read threw into what callers handle: an EgressError for
 * anything about the remote side, the caller's own abort reason when they aborted, and the
 * original error for programming mistakes. Decided by error class and code, never message text.
 */
export function toEgressError(err: unknown, url: string, deadline: Deadline): unknown {
  if (err instanceof EgressError) return err.withUrl(url);
  if (deadline.expired) {
    return new EgressError({ code: "timeout", message: "The request took too long.", url, cause: err });
  }
  const callerAbort = deadline.callerAbort;
  if (callerAbort) return callerAbort.reason;

  const code = errorCode(err);
  if (code !== undefined && PROGRAMMING_CODES.has(code)) return err;
  if (code === undefined && (err instanceof TypeError || err instanceof RangeError)) return err;
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new EgressError({
      code: "timeout",
      message: "The server took too long to answer.",
      url,
      cause: err,
    });
  }
  if (code !== undefined && NO_ADDRESS_CODES.has(code)) {
    return new EgressError({
      code: "unresolvable",
      message: "The URL's host name does not resolve.",
      url,
      cause: err,
    });
  }
  // Refused, reset, unreachable, TLS failures, temporary DNS failure (EAI_AGAIN): all worth a retry.
  return new EgressError({
    code: "connection_failed",
    message: "Could not connect to the URL's host.",
    url,
    cause: err,
  });
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  return typeof err.code === "string" ? err.code : undefined;
}
