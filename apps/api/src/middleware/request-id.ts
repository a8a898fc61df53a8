import { randomUUID } from "node:crypto";
import type { Logger } from "@facegate/logger";
import type { NextFunction, Request, Response } from "express";

const SAFE_ID = /^[\w.-]{8,128}$/;

/**
 * Every request gets an id (the caller's X-Request-Id when it is sane), echoed on the response.
 * A job's request is the first `hop` of its path (bench/latency.bench.ts), at LOG_LEVEL=debug.
 */
export function requestId(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = req.header("x-request-id");
    const id = given && SAFE_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader("x-request-id", id);
    if (req.method === "POST" && req.path === "/v1/jobs")
      logger.debug({ requestId: id, hop: "request received" }, "request");
    next();
  };
}
