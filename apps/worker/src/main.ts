import { createServer } from "node:http";
import { loadConfigOrExit } from "@facegate/config";
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing running jobs");
    metricsServer?.close();
    await worker.close();
    await closeAdapters(adapters);
    await egress.close();
    await services.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

void main();
