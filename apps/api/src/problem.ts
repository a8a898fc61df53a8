import { MAX_JSON_DEPTH, RESERVED_KEY_MESSAGE } from "@facegate/core";
import type { Response } from "express";
import type { ZodError } from "zod";

/**
 * RFC 9457 problem details. `code` is the stable, machine-readable part clients branch on;
 * `detail` is for people. Every error a client can cause is a 4xx problem, never a 500.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = "Problem";
  }

  static validation(error: ZodError, prefix = ""): Problem {
    const errors = error.issues.map((issue) => ({
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
      message: issue.message,
    }));
    const first = errors[0];
    return new Problem(
      422,
      "validation_failed",
      first ? `${first.path || "body"}: ${first.message}` : "the request is not valid",
      errors,
    );
  }
}

/** JSON nested deeper than MAX_JSON_DEPTH, in the body or in a multipart JSON field. */
export function tooDeep(where: string): Problem {
  const detail = `${where}: arrays and objects nest more than ${MAX_JSON_DEPTH} levels deep`;
  return new Problem(422, "validation_failed", detail, [
    { path: where === "body" ? "" : where, message: detail },
  ]);
}

/** A key JavaScript objects do not keep as data (`__proto__`), refused rather than dropped. */
export function reservedKey(path: string): Problem {
  return new Problem(422, "validation_failed", `${path}: ${RESERVED_KEY_MESSAGE}`, [
    { path, message: RESERVED_KEY_MESSAGE },
  ]);
}

/** The problem `title` of each status: also the description of its response in the OpenAPI document. */
const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function sendProblem(res: Response, problem: Problem, requestId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type("application/problem+json")
    .send(
      JSON.stringify({
        type: `https://facegate.dev/problems/${problem.code}`,
        title: problemTitle(problem.status),
        status: problem.status,
        code: problem.code,
        detail: problem.detail,
        ...(problem.errors ? { errors: problem.errors } : {}),
        ...(requestId ? { request_id: requestId } : {}),
      }),
    );
}

export function problemTitle(status: number): string {
  return TITLES[status] ?? "Error";
}
