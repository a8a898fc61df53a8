/**
 * Why an outbound request to a user-given URL did not happen or did not finish.
 * - `url_invalid`: not a URL we can parse (or a redirect `Location` that is not one).
 * - `url_not_allowed`: a URL we refuse: scheme, userinfo, or a host that is (or resolves to) a
 *   non-public address and is not on the allowlist.
 * - `unresolvable`: DNS has no address for the host.
 * - `too_large`: the body is (or announced itself as) bigger than the byte cap.
 * - `timeout`: connect, headers, idle body or total time cap reached.
 * - `connection_failed`: refused, reset, TLS failure and other transport trouble.
 * - `too_many_redirects`: more redirects than the cap.
 * - `http_status`: `download()` got a status other than 2xx; `status` says which.
 */
export type EgressErrorCode =
  | "url_invalid"
  | "url_not_allowed"
  | "unresolvable"
  | "too_large"
  | "timeout"
  | "connection_failed"
  | "too_many_redirects"
  | "http_status";

export interface EgressErrorInit {
  code: EgressErrorCode;
  /** Safe to show to the user who gave the URL: never a response body, a resolved address or a secret. */
  message: string;
  url: string;
  status?: number | undefined;
  cause?: unknown;
}

export class EgressError extends Error {
  readonly code: EgressErrorCode;
  /** The URL of the hop that failed (after redirects this is not the URL first given). */
  readonly url: string;
  /** For `http_status` only. */
  readonly status: number | undefined;

  constructor(init: EgressErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "EgressError";
    this.code = init.code;
    this.url = init.url;
    this.status = init.status;
  }

  /** Whether trying the same URL later may succeed. The queue owns the retries; this only informs it. */
  get retryable(): boolean {
    if (this.code === "timeout" || this.code === "connection_failed") return true;
    if (this.code === "http_status" && this.status !== undefined) {
      return this.status >= 500 || this.status === 408 || this.status === 429;
    }
    return false;
  }

  /** The same failure, attributed to another URL (errors raised inside the connector only know the host). */
  withUrl(url: string): EgressError {
    if (url === this.url) return this;
    return new EgressError({ code: this.code, message: this.message, url, status: this.status, cause: this });
  }
}
