import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { type RunningSystem, startSystem } from "@facegate/standalone";
import { startVendorSim, type VendorSim, type VendorSimOptions } from "@facegate/vendor-sim";
import { watchApi } from "./api-responses";
import { dropPrefix } from "./redis-clean";
import { TEST_KEYS, testEnv } from "./test-env";

export interface TestSystem {
  url: string;
  sim: VendorSim;
  system: RunningSystem;
  env: Record<string, string>;
  /** fetch against the API with a tenant's key. */
  api(path: string, init?: RequestInit & { tenant?: keyof typeof TEST_KEYS }): Promise<Response>;
  /** POST `body` as JSON, through `api`. */
  postJson(path: string, body: unknown, init?: { tenant?: keyof typeof TEST_KEYS }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  env?: Record<string, string>;
  sim?: VendorSimOptions;
  /** Run the worker in this process (default) or not (a test that spawns its own). */
  worker?: boolean;
}

/**
 * A whole facegate (API + worker) in this process against the run's real Redis and S3 and a
 * fresh vendor simulator over HTTP, isolated by its own prefix and bucket.
 */
export async function startTestSystem(options: TestSystemOptions = {}): Promise<TestSystem> {
  const sim = await startVendorSim(options.sim);
  const env = testEnv(sim, options.env);
  const config = loadConfig(env);
  const logger = createLogger({ level: env.LOG_LEVEL ?? "silent" });
  const system = await startSystem(config, logger, { worker: options.worker ?? true, host: "127.0.0.1" });
  const url = system.api.url;
  watchApi(url);
  const api: TestSystem["api"] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization"))
      headers.set("authorization", `Bearer ${TEST_KEYS[init.tenant ?? "acme"]}`);
    return fetch(`${url}${path}`, { ...init, headers, redirect: "manual" });
  };
  return {
    url,
    sim,
    system,
    env,
    api,
    postJson: (path, body, init = {}) =>
      api(path, {
        ...init,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    async close() {
      await system.close();
      await dropPrefix(system.ctx.config.redis, env.REDIS_PREFIX!);
      await sim.close();
    },
  };
}
