import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { checkAigsCode } from "./aigs/errors";
import { aigsRouter } from "./aigs/routes";
import { checkAilabCode } from "./ailab/errors";
import { ailabRouter } from "./ailab/routes";
import { CallLog } from "./call-log";
import { controlRouter, type SimControls } from "./control/routes";
import { configPart, publicCredentials, resolveCredentials, type VendorSimOptions } from "./options";
import { ResultsStore } from "./results-store";
import type { SimContext } from "./sim-context";
import { checkTencentCode } from "./tencent/errors";
import { MaterialCatalog } from "./tencent/materials";
import { tencentRouter } from "./tencent/routes";
import { VENDOR_IDS, type VendorId } from "./vendor-config";
import { VendorState } from "./vendor-state";

/** A running simulator. */
export interface VendorSim extends SimControls {
  close(): Promise<void>;
}

export async function startVendorSim(options: VendorSimOptions = {}): Promise<VendorSim> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const resolved = resolveCredentials(options);
  const log = new CallLog();
  const results = new ResultsStore({ now, ...options.results });
  const states: Record<VendorId, VendorState> = {
    ailab: new VendorState({
      vendor: "ailab",
      initial: configPart(options.ailab),
      seed: seed * 3 + 1,
      credentials: resolved.ailabKeys,
      labelPrefix: "key",
      checkCode: checkAilabCode,
    }),
    aigs: new VendorState({
      vendor: "aigs",
      initial: configPart(options.aigs),
      seed: seed * 3 + 2,
      credentials: resolved.aigsTokens,
      labelPrefix: "token",
      checkCode: checkAigsCode,
    }),
    tencent: new VendorState({
      vendor: "tencent",
      initial: configPart(options.tencent),
      seed: seed * 3 + 3,
      credentials: resolved.tencentSecrets.map((s) => s.secretId),
      labelPrefix: "secretId",
      checkCode: checkTencentCode,
    }),
  };
  let publicUrl = options.publicUrl?.replace(/\/+$/, "") ?? "";
  const ctx: SimContext = { now, log, results, publicUrl: () => publicUrl, states };

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use("/ailab", ailabRouter(ctx, resolved.ailabKeys));
  app.use("/aigs", aigsRouter(ctx, resolved.aigsTokens));
  app.use(
    "/tencent",
    tencentRouter(ctx, {
      secrets: new Map(resolved.tencentSecrets.map((s) => [s.secretId, s.secretKey])),
      regions: new Set(resolved.tencentRegions),
      materials: new MaterialCatalog(resolved.tencentMaterials),
    }),
  );

  const server = createServer(app);
  const address = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  const url = `http://${urlHost(address)}:${address.port}`;
  if (!publicUrl) publicUrl = url;

  const sim: VendorSim = {
    url,
    urls: { ailab: `${url}/ailab`, aigs: `${url}/aigs`, tencent: `${url}/tencent` },
    credentials: publicCredentials(resolved),
    configure: (vendor, patch) => states[vendor].configure(patch),
    config: (vendor) => states[vendor].snapshot(),
    calls: (filter) => log.list(filter),
    resetCalls: () => log.clear(),
    inFlight: () => log.inFlight(),
    reset: () => {
      for (const vendor of VENDOR_IDS) states[vendor].reset();
      log.clear();
      results.clear();
    },
    close: () => close(server),
  };
  app.use("/_sim", controlRouter(sim));
  return sim;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Wildcard addresses are not reachable as such; clients on this machine use loopback. */
function urlHost(address: AddressInfo): string {
  if (address.address === "0.0.0.0") return "127.0.0.1";
  if (address.address === "::") return "[::1]";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}

/** Stops listening and drops open connections, including calls left hanging by a timeout fault. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
