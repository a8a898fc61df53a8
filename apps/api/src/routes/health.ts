import { Router } from "express";
import type { ApiContext } from "../context";

/** Liveness (the process answers) and readiness (Redis and S3 answer). */
export function healthRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const check = async (run: () => Promise<unknown>) => {
      try {
        await Promise.race([
          run(),
          new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2_000)),
        ]);
        return "ok";
      } catch {
        return "unavailable";
      }
    };
    const [redis, storage] = await Promise.all([
      check(() => ctx.redis.ping()),
      check(() => ctx.store.ping()),
    ]);
    const ready = redis === "ok" && storage === "ok";
    res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "unavailable", checks: { redis, storage } });
  });
  return router;
}
