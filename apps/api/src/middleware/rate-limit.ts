import { primaries } from "@facegate/queue";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { rateLimit } from "express-rate-limit";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import type { ApiContext } from "../context";
import { Problem } from "../problem";
import { caller } from "./auth";
import { closeIfBodyUnread } from "./body-limits";

/** The window API_RATE_LIMIT_PER_MINUTE counts in. */
const WINDOW_MS = 60_000;

/**
 * rate-limit-redis loads its Lua scripts once, when the limiter is made. Should that fail (Redis
 * away at that moment) every later call would await the same rejected promise forever; here a
 * failed call loads them again, so the limiter heals once Redis is back.
 */
class HealingRedisStore extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (error) {
      this.incrementScriptSha = this.loadIncrementScript();
      this.incrementScriptSha.catch(() => undefined);
      throw error;
    }
  }
}

/**
 * The store's commands go through facegate's connection. Its scripts are loaded with SCRIPT LOAD,
 * which names no key: on a cluster that would reach one node at random while EVALSHA goes to the
 * counter's node, so scripts are loaded on every primary (one node: on that node).
 */
async function sendCommand(ctx: ApiContext, command: string, args: string[]): Promise<RedisReply> {
  if (command.toUpperCase() !== "SCRIPT") return ctx.redis.call(command, ...args) as Promise<RedisReply>;
  const replies = await Promise.all(primaries(ctx.redis).map((node) => node.call(command, ...args)));
  return replies[0] as RedisReply;
}

/**
 * Per API key request limit (API_RATE_LIMIT_PER_MINUTE), counted in Redis so that every API
 * process shares one count per key. Mount after `authenticate`: the key id names the counter (the
 * raw key never reaches Redis or a header). Answers carry `RateLimit` and `RateLimit-Policy`
 * (IETF draft 8); a refusal is a 429 problem with `Retry-After`. Without Redis nothing can be
 * counted, and the request could not be served anyway: 503.
 */
export function rateLimitPerKey(ctx: ApiContext): RequestHandler {
  const limit = ctx.config.api.rateLimitPerMinute;
  const store = new HealingRedisStore({
    prefix: ctx.keys.apiRateLimit,
    sendCommand: (command: string, ...args: string[]) => sendCommand(ctx, command, args),
  });
  const limiter = rateLimit({
    windowMs: WINDOW_MS,
    limit,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (_req, res) => caller(res).keyId,
    store,
    passOnStoreError: false,
    logger: ctx.logger,
    handler: (req, res, next) => {
      closeIfBodyUnread(req, res);
      next(
        new Problem(
          429,
          "rate_limited",
          `at most ${limit} requests per minute per API key; retry after the time in Retry-After`,
          undefined,
          { "retry-after": String(res.getHeader("retry-after") ?? Math.ceil(WINDOW_MS / 1000)) },
        ),
      );
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    void limiter(req, res, (error?: unknown) => {
      if (error === undefined || error instanceof Problem) return next(error);
      ctx.logger.warn({ err: error, requestId: res.locals.requestId }, "rate limit store unavailable");
      closeIfBodyUnread(req, res);
      next(
        new Problem(503, "unavailable", "facegate's store is unreachable; try again shortly", undefined, {
          "retry-after": "5",
        }),
      );
    });
  };
}
