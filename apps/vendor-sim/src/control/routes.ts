import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { SimCall } from "../call-log";
import type { SimCredentials } from "../options";
import { isVendorId, type VendorConfigPatch, type VendorId } from "../vendor-config";
import type { VendorStateSnapshot } from "../vendor-state";

/**
 * `<base>/_sim/…`: the simulator's controls over HTTP, for a test driving a simulator that runs
 * in another process (`npm start`, a benchmark). Same operations as the in-process API.
 *
 *   GET    /_sim                      urls and credentials
 *   GET    /_sim/calls?vendor=&since= call log
 *   DELETE /_sim/calls                clear the call log
 *   GET    /_sim/in-flight            calls arrived and not yet answered, per vendor
 *   GET    /_sim/config/:vendor       current configuration, credits and script
 *   POST   /_sim/configure/:vendor    apply a patch (JSON body); 400 with the problems if invalid
 *   POST   /_sim/reset                everything back to the start options
 */

/** What a simulator offers a test, here over HTTP and in process as `VendorSim`. */
export interface SimControls {
  /** e.g. `http://127.0.0.1:PORT` */
  url: string;
  /** Base URLs to give the adapters. */
  urls: Record<VendorId, string>;
  credentials: SimCredentials;
  /** Changes one vendor's rate limit, credits, latency, faults, URL lifetime or script; throws on a bad patch. */
  configure(vendor: VendorId, patch: VendorConfigPatch): void;
  /** One vendor's current configuration, remaining credits and queued script. */
  config(vendor: VendorId): VendorStateSnapshot;
  /** Every vendor call so far (oldest first), optionally one vendor's or since a time. */
  calls(filter?: { vendor?: VendorId; since?: number }): SimCall[];
  resetCalls(): void;
  /** Calls arrived and not yet answered, per vendor. */
  inFlight(): Record<VendorId, number>;
  /** Everything back to the start options: configuration, credits, scripts, rate windows, calls, results. */
  reset(): void;
}

export function controlRouter(sim: SimControls): Router {
  const router = Router();
  router.use(express.json({ limit: "1mb" }));

  router.get("/", (_req, res) => {
    res.json({ url: sim.url, urls: sim.urls, credentials: sim.credentials });
  });

  router.get("/calls", (req, res) => {
    const vendor = typeof req.query.vendor === "string" ? req.query.vendor : undefined;
    if (vendor !== undefined && !isVendorId(vendor)) {
      res.status(400).json({ error: `unknown vendor: ${vendor}` });
      return;
    }
    const since = typeof req.query.since === "string" ? Number(req.query.since) : undefined;
    res.json(sim.calls({ vendor, since: Number.isFinite(since) ? since : undefined }));
  });

  router.delete("/calls", (_req, res) => {
    sim.resetCalls();
    res.status(204).end();
  });

  router.get("/in-flight", (_req, res) => {
    res.json(sim.inFlight());
  });

  router.get("/config/:vendor", (req, res) => {
    const vendor = vendorParam(req, res);
    if (vendor) res.json(sim.config(vendor));
  });

  router.post("/configure/:vendor", (req, res) => {
    const vendor = vendorParam(req, res);
    if (!vendor) return;
    try {
      sim.configure(vendor, (req.body ?? {}) as VendorConfigPatch);
    } catch (error) {
      res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
      return;
    }
    res.status(204).end();
  });

  router.post("/reset", (_req, res) => {
    sim.reset();
    res.status(204).end();
  });

  // Bad JSON in a control request: say so in JSON rather than express's HTML page.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(400).json({ error: error instanceof Error ? error.message : "bad request" });
  });
  return router;
}

function vendorParam(req: Request, res: Response): VendorId | undefined {
  const vendor = String(req.params.vendor);
  if (isVendorId(vendor)) return vendor;
  res.status(404).json({ error: `unknown vendor: ${vendor}` });
  return undefined;
}
