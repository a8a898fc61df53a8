import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

const SAFE_ID = /^[\w.-]{8,128}$/;

/** Every request gets an id (the caller's X-Request-Id when it is sane), echoed on the response. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.header("x-request-id");
  const id = given && SAFE_ID.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader("x-request-id", id);
  next();
}
