import type { Config } from "@facegate/config";
import { createEgress, type Egress } from "@facegate/egress";
import { createServices, type Services } from "@facegate/jobs";
import type { Logger } from "@facegate/logger";
import type { Metrics } from "@facegate/metrics";
import { createRedis } from "@facegate/queue";
import { ApiKeys, IdempotencyKeys } from "@facegate/records";
import { FinishWaiter } from "./jobs/finish-waiter";

/** Everything the API's routes use, opened once per process. */
export interface ApiContext extends Services {
  apiKeys: ApiKeys;
  idempotency: IdempotencyKeys;
  egress: Egress;
  waiter: FinishWaiter;
}

export async function createApiContext(
  config: Config,
  logger: Logger,
  options: { metrics?: Metrics } = {},
): Promise<ApiContext> {
  const services = createServices(config, logger, { role: "producer", metrics: options.metrics });
  await services.ready();
  const apiKeys = new ApiKeys(services.redis, services.keys);
  for (const { tenant, key } of config.api.keys) await apiKeys.register(tenant, key, "API_KEYS", "env");
  // A revoked key stops working here at once, not after the auth cache's few seconds.
  const revocations = createRedis(config.redis.url, "worker", "facegate-api-revocations");
  revocations.on("error", (error) => logger.warn({ err: error }, "revocation listener connection error"));
  await apiKeys.followRevocations(revocations);
  const egress = createEgress({ allowlist: config.egress.allowlist, maxBytes: config.api.maxImageBytes });
  const waiter = new FinishWaiter(config.redis.url, services.keys.finishedChannel, logger);
  await waiter.start();
  return {
    ...services,
    apiKeys,
    idempotency: new IdempotencyKeys(services.redis, services.keys),
    egress,
    waiter,
    async close() {
      await waiter.stop();
      revocations.disconnect();
      await egress.close();
      await services.close();
    },
  };
}
