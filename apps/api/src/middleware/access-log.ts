import type { Logger } from "@facegate/logger";
import type { NextFunction, Request, Response } from "express";

/** One line per request: method, route path (no query string: it may hold presigned signatures), status, time. */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on("finish", () => {
      const level = res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "debug";
      logger[level](
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          tenant: (res.locals.caller as { tenant?: string } | undefined)?.tenant,
        },
        "request",
      );
    });
    next();
  };
}
