import { resolve } from "node:path";
import { loadConfigOrExit } from "@facegate/config";
import { jobTimeoutMs, stopOnSignals, workerShutdownBoundMs } from "@facegate/core";
import { createLogger } from "@facegate/logger";
import { RedisServerMissingError } from "@facegate/queue";
import { startBanner } from "./banner";
import { startEmbedded } from "./embedded";
import { startSystem } from "./system";

/**
 * `npm start`: the whole system in one command. Anything not configured in the environment is
 * embedded (Redis, S3, vendor simulator, dev API and admin keys); Ctrl-C stops it all, children included.
 */
async function main() {
  const dataDir = resolve(process.env.FACEGATE_DATA_DIR ?? ".data");
  let started: Awaited<ReturnType<typeof startEmbedded>>;
  try {
    started = await startEmbedded(process.env, dataDir);
  } catch (error) {
    if (error instanceof RedisServerMissingError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { env, embedded } = started;
  const config = loadConfigOrExit(env);
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty });
  let system: Awaited<ReturnType<typeof startSystem>>;
  try {
    system = await startSystem(config, logger);
  } catch (error) {
    await embedded.stop();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        `Port ${config.api.port} is in use. Set PORT to another port (e.g. PORT=8081 npm start).`,
      );
      process.exit(1);
    }
    throw error;
  }

  process.stdout.write(
    `${startBanner({
      url: system.api.url,
      notes: embedded.notes,
      apiKey: config.api.keys[0],
      adminKey: config.api.adminKey,
      keyFiles: embedded.keyFiles,
      interactive: process.stdout.isTTY === true,
    })}\n`,
  );

  stopOnSignals(
    logger,
    async () => {
      await system.close();
      await embedded.stop();
    },
    workerShutdownBoundMs(jobTimeoutMs("call-vendor", config)),
  );
}

void main();
