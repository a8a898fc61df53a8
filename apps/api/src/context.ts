import type { Config } from "@facegate/config";
import { createEgress, type Egress } from "@facegate/egress";
import { createServices, type Services } from "@facegate/jobs";
import type { Logger } from "@facegate/logger";
import type { Metrics } from "@facegate/metrics";
import { createRedis } from "@facegate/queue";
import { ApiKeys, IdempotencyKeys } from "@facegate/records";
import { JobFeed } from "./jobs/job-feed";

/** Everything the API's routes use, opened once per process. */
export interface ApiContext extends Services {
  apiKeys: ApiKeys;
  idempotency: IdempotencyKeys;
  egress: Egress;
  feed: JobFeed;
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
  const revocations = createRedis(config.redis, "subscriber", "facegate-api-revocations");
  revocations.on("error", (error) => logger.warn({ err: error }, "revocation listener connection error"));
  await apiKeys.followRevocations(revocations);
  const egress = createEgress({ allowlist: config.egress.allowlist, maxBytes: config.api.maxImageBytes });
  const feed = new JobFeed(
    config.redis,
    { finished: services.keys.finishedChannel, changed: services.keys.jobChangedChannel },
    logger,
  );
  await feed.start();
  return {
    ...services,
    apiKeys,
    idempotency: new IdempotencyKeys(services.redis, services.keys),
    egress,
    feed,
    async close() {
      await feed.stop();
      revocations.disconnect();
      await egress.close();
      await services.close();
    },
  };
}
