import express, { Router } from "express";
import { describe, expect, it } from "vitest";
import { servedRoutes } from "./served-routes";

describe("servedRoutes", () => {
  it("finds routes through nested routers, and mounted applications, but not middleware", () => {
    const app = express();
    app.use("/v1", (_req, _res, next) => next());
    const jobs = Router();
    jobs.get("/v1/jobs/:id", (_req, res) => res.end());
    jobs
      .route("/v1/jobs")
      .get((_req, res) => res.end())
      .post((_req, res) => res.end());
    app.use(jobs);
    const nested = Router();
    nested.delete("/:id", (_req, res) => res.end());
    app.use("/v1/things", nested);
    const dashboard = express();
    dashboard.get("/", (_req, res) => res.end());
    app.use("/admin/queues", (_req, _res, next) => next(), dashboard);
    app.use("/docs", express.static("."));
    app.get("/", (_req, res) => res.end());

    const { routes, mounts } = servedRoutes(app);
    expect(routes).toEqual([
      { method: "GET", path: "/v1/jobs/:id" },
      { method: "GET", path: "/v1/jobs" },
      { method: "POST", path: "/v1/jobs" },
      { method: "DELETE", path: "/v1/things/:id" },
      { method: "GET", path: "/" },
    ]);
    expect(mounts).toEqual([
      { path: "/admin/queues", kind: "app" },
      { path: "/docs", kind: "static" },
    ]);
  });
});
