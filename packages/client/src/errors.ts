import type { ProblemBody } from "@facegate/core/api-schemas";
import type { Job } from "./types";

/**
 * An error answer of the facegate API (RFC 9457 problem details). Branch on `code`, which is
 * stable; `detail` is written for people.
 */
export class FacegateError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** Validation failures, one per field. */
  readonly errors: { path: string; message: string }[];
  /** The server's request id: quote it when asking for help. */
  readonly requestId: string | undefined;
  /** Seconds to wait before trying again, when the server said (429, 503). */
  readonly retryAfterS: number | undefined;

  constructor(status: number, problem: Partial<ProblemBody>, headers?: Headers) {
    const code = problem.code ?? `http_${status}`;
    const detail = problem.detail ?? `the server answered ${status}`;
    super(`${code}: ${detail}`);
    this.name = "FacegateError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.request_id ?? headers?.get("x-request-id") ?? undefined;
    const retryAfter = Number(headers?.get("retry-after"));
    this.retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  }

  /** Read an error answer; a body that is not problem details still gives status and text. */
  static async fromResponse(res: Response): Promise<FacegateError> {
    const text = await res.text().catch(() => "");
    let problem: Partial<ProblemBody> = {};
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object") problem = parsed as Partial<ProblemBody>;
    } catch {
      problem = { detail: text.slice(0, 200) || undefined };
    }
    return new FacegateError(res.status, problem, res.headers);
  }
}

/** The server could not be reached at all (refused, DNS, timeout); `cause` says which. */
export class FacegateConnectionError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    const inner = (cause as Error)?.cause as NodeJS.ErrnoException | undefined;
    const why =
      (cause as Error)?.name === "TimeoutError"
        ? "timed out"
        : (inner?.code ?? inner?.message ?? (cause as Error)?.message);
    super(`cannot reach facegate at ${url} (${why})`, { cause });
    this.name = "FacegateConnectionError";
  }
}

/** `waitForJob` ran out of time; `job` is the last state seen. */
export class WaitTimeoutError extends Error {
  constructor(readonly job: Job) {
    super(`job ${job.id} is still ${job.status}`);
    this.name = "WaitTimeoutError";
  }
}
