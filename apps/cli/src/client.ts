import { FacegateClient } from "@facegate/client";
import { type CliConfig, cliConfig } from "./config";
import { usageError } from "./errors";

/**
 * The typed client, configured from FACEGATE_URL and FACEGATE_API_KEY. Every command that talks
 * to facegate goes through it, so errors arrive as `FacegateError` (problem details) or
 * `FacegateConnectionError`, which `main` turns into messages and exit code 2.
 */
export function cliClient(config: CliConfig = cliConfig()): FacegateClient {
  if (!config.apiKey) {
    throw usageError("FACEGATE_API_KEY is not set (npm start prints a dev key when it starts)");
  }
  return new FacegateClient({ baseUrl: config.url, apiKey: config.apiKey });
}
