import { EgressError } from "@facegate/egress";
import { ImageError } from "@facegate/images";
import { InputUnreachableError, SpecError } from "@facegate/jobs";
import type { Logger } from "@facegate/logger";
import type { NextFunction, Request, Response } from "express";
import { Problem, sendProblem } from "../problem";

/** What the handler reads of the API's Redis connection (an ioredis client or cluster). */
export interface ConnectionState {
  readonly status: string;
}

/** Turn whatever a route threw into a problem response; unexpected errors are logged, never shown. */
export function errorHandler(logger: Logger, redis: ConnectionState) {
  // Express recognises error handlers by their four parameters.
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = res.locals.requestId as string | undefined;
    const problem = toProblem(error, redis);
    if (problem) return sendProblem(res, problem, requestId);
    logger.error({ err: error, requestId, method: req.method, path: req.path }, "request failed");
    sendProblem(res, new Problem(500, "internal_error", "something went wrong on our side"), requestId);
  };
}

export function toProblem(error: unknown, redis: ConnectionState): Problem | undefined {
  if (error instanceof Problem) return error;
  if (error instanceof SpecError) return new Problem(422, error.code, error.message, error.errors);
  if (error instanceof ImageError) return new Problem(422, error.code, error.message);
  if (error instanceof EgressError) {
    const code =
      error.code === "url_invalid" || error.code === "url_not_allowed" ? error.code : "input_unreachable";
    return new Problem(422, code, error.message);
  }
  if (error instanceof InputUnreachableError) return new Problem(422, error.code, error.message);
  const e = error as { type?: string; status?: number; statusCode?: number; message?: string };
  // body-parser's own errors (express.json).
  if (e.type === "entity.parse.failed")
    return new Problem(400, "malformed_json", "the body is not valid JSON");
  if (e.type === "entity.too.large") return new Problem(413, "payload_too_large", "the body is too large");
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new Problem(415, "unsupported_media_type", "unsupported body encoding");
  }
  const status = e.status ?? e.statusCode;
  if (status && status >= 400 && status < 500)
    return new Problem(status, "bad_request", "the request could not be read");
  if (isRedisAway(error, redis))
    return new Problem(503, "unavailable", "facegate's queue is unreachable; try again shortly", undefined, {
      "retry-after": "5",
    });
  return undefined;
}

/**
 * Whether a failure is Redis being away, judged by the connection rather than the error's text:
 * ioredis rejects commands with plain Errors while it is not `ready` (closed, reconnecting, the
 * offline queue off), and with its MaxRetriesPerRequestError (a class it does not export, hence the
 * name) once a command has waited out its retries.
 */
function isRedisAway(error: unknown, redis: ConnectionState): boolean {
  if (error instanceof Error && error.name === "MaxRetriesPerRequestError") return true;
  return redis.status !== "ready";
}
