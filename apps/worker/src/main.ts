import { createServer } from "node:http";
import { loadConfigOrExit } from "@facegate/config";
import { jobTimeoutMs, stopOnSignals, workerShutdownBoundMs } from "@facegate/core";
import { createEgress } from "@facegate/egress";
import { createServices } from "@facegate/jobs";
import { createLogger } from "@facegate/logger";
import { closeAdapters, createAdapters } from "@facegate/vendors";
import { startWorker } from "./worker-app";

/**
 * The worker process on its own (production: one or many next to the API processes).
 * Serves its Prometheus metrics on WORKER_METRICS_PORT when set.
 */
async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: "worker" });
  const services = createServices(config, logger, { role: "worker" });
  const adapters = createAdapters(config.vendors);
  const egress = createEgress({ allowlist: config.egress.allowlist });
  const worker = await startWorker({ services, adapters, egress });
  logger.info({ vendors: [...adapters.keys()] }, "worker started");

  const metricsPort = config.worker.metricsPort;
  const metricsServer = metricsPort
    ? createServer(async (_req, res) => {
        res.setHeader("content-type", services.metrics.registry.contentType);
        res.end(await services.metrics.registry.metrics());
      }).listen(metricsPort)
    : undefined;

  stopOnSignals(
    logger,
    async () => {
      metricsServer?.close();
      await worker.close();
      await closeAdapters(adapters);
      await egress.close();
      await services.close();
    },
    workerShutdownBoundMs(jobTimeoutMs("call-vendor", config)),
  );
}

void main();
