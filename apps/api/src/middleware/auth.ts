import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { ApiContext } from "../context";
import { Problem } from "../problem";
import { closeIfBodyUnread } from "./body-limits";

export interface Caller {
  tenant: string;
  keyId: string;
}

/** The authenticated tenant of this request (set by `authenticate`). */
export function caller(res: Response): Caller {
  return res.locals.caller as Caller;
}

function bearer(req: Request): string | undefined {
  const header = req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
  return match?.[1];
}

/** `Authorization: Bearer <api key>`; the key names the tenant. */
export function authenticate(ctx: ApiContext) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearer(req);
    if (!key) {
      closeIfBodyUnread(req, res);
      return next(
        new Problem(401, "unauthorized", "send your API key as 'Authorization: Bearer <key>'", undefined, {
          "www-authenticate": 'Bearer realm="facegate"',
        }),
      );
    }
    const info = await ctx.apiKeys.authenticate(key);
    if (!info) {
      closeIfBodyUnread(req, res);
      return next(
        new Problem(401, "unauthorized", "the API key is not valid", undefined, {
          "www-authenticate": 'Bearer realm="facegate", error="invalid_token"',
        }),
      );
    }
    res.locals.caller = { tenant: info.tenant, keyId: info.id } satisfies Caller;
    next();
  };
}

/**
 * Admin endpoints (`/admin/queues`, `/v1/admin/…`) need ADMIN_API_KEY, as a bearer token or
 * basic-auth password. Without one configured they are off, and say so: a bare 404 would leave
 * the operator guessing.
 */
export function requireAdmin(ctx: ApiContext) {
  const expected = ctx.config.api.adminKey ? Buffer.from(ctx.config.api.adminKey) : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!expected) {
      closeIfBodyUnread(req, res);
      return next(
        new Problem(
          403,
          "admin_not_configured",
          "admin routes are off: this server has no ADMIN_API_KEY; set one (at least 16 characters) and restart",
        ),
      );
    }
    const header = req.header("authorization") ?? "";
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const given = basic
      ? Buffer.from(basic[1]!, "base64").toString().split(":").slice(1).join(":")
      : bearer(req);
    const buffer = Buffer.from(given ?? "");
    if (buffer.length === expected.length && timingSafeEqual(buffer, expected)) return next();
    closeIfBodyUnread(req, res);
    res.setHeader("www-authenticate", 'Basic realm="facegate admin"');
    next(new Problem(401, "unauthorized", "the admin key is required"));
  };
}
