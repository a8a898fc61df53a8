import { type ApiContext, createApiContext, createApp, listen, type RunningServer } from "@facegate/api";
import type { Config } from "@facegate/config";
import { createEgress } from "@facegate/egress";
import type { Logger } from "@facegate/logger";
import { Metrics } from "@facegate/metrics";
import { closeAdapters, createAdapters } from "@facegate/vendors";
import { type RunningWorker, startWorker } from "@facegate/worker";

export interface RunningSystem {
  api: RunningServer;
  ctx: ApiContext;
  worker: RunningWorker | undefined;
  /** Stop HTTP first, then the workers (running jobs finish), then connections. */
  close(): Promise<void>;
}

/**
 * The API and the worker in one process, sharing one metrics registry. `npm start` runs this;
 * so do the integration tests. Production runs them as separate processes (see compose).
 */
export async function startSystem(
  config: Config,
  logger: Logger,
  options: { worker?: boolean; host?: string } = {},
): Promise<RunningSystem> {
  const metrics = new Metrics();
  const ctx = await createApiContext(config, logger.child({ role: "api" }), { metrics });
  await ctx.store.ensureBucket();
  let worker: RunningWorker | undefined;
  let closeWorkerParts = async () => {};
  if (options.worker ?? true) {
    const adapters = createAdapters(config.vendors);
    const egress = createEgress({ allowlist: config.egress.allowlist });
    const workerServices = { ...ctx, logger: logger.child({ role: "worker" }) };
    worker = await startWorker({ services: workerServices, adapters, egress });
    closeWorkerParts = async () => {
      await closeAdapters(adapters);
      await egress.close();
    };
  }
  const api = await listen(createApp(ctx), config.api.port, options.host);
  return {
    api,
    ctx,
    worker,
    async close() {
      ctx.feed.release();
      await api.close();
      await worker?.close();
      await closeWorkerParts();
      await ctx.close();
    },
  };
}
