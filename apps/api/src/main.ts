import { loadConfigOrExit } from "@facegate/config";
import { stopOnSignals } from "@facegate/core";
import { createLogger } from "@facegate/logger";
import { createApp } from "./app";
import { createApiContext } from "./context";
import { listen } from "./server";

/** The API process on its own (production). `npm start` runs it together with everything else. */
async function main() {
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: "api" });
  const ctx = await createApiContext(config, logger);
  await ctx.store.ensureBucket();
  const server = await listen(createApp(ctx), config.api.port);
  logger.info({ port: config.api.port }, "api listening");

  stopOnSignals(logger, async () => {
    ctx.feed.release();
    await server.close();
    await ctx.close();
  });
}

void main();
