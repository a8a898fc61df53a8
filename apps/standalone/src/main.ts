import { resolve } from "node:path";
import { loadConfigOrExit } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { RedisServerMissingError } from "@facegate/queue";
import { startEmbedded } from "./embedded";
import { startSystem } from "./system";

/**
 * `npm start`: the whole system in one command. Anything not configured in the environment is
 * embedded (Redis, S3, vendor simulator, a dev API key); Ctrl-C stops it all, children included.
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

  const key = config.api.keys[0];
  const lines = [
    "",
    "facegate is running",
    "",
    `  API       ${system.api.url}   (docs: ${system.api.url}/docs)`,
    ...embedded.notes.map((n) => `  ${n}`),
    "",
    key ? `  API key   ${key.key}   (tenant "${key.tenant}")` : "",
    "",
    "  Try it:",
    `    curl -s ${system.api.url}/v1/jobs -H "Authorization: Bearer ${key?.key ?? "<key>"}" \\`,
    "      -F operation=face_fusion -F vendor=ailab -F target=@examples/face.jpg -F template=@examples/template.jpg",
    "",
    "  Ctrl-C stops everything.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await system.close();
    await embedded.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

void main();
