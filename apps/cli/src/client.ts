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
    throw usageError("FACEGATE_API_KEY is not set (npm start keeps a dev one in .data/dev-api-key)");
  }
  return new FacegateClient({ baseUrl: config.url, apiKey: config.apiKey });
}

/** The typed client with the admin key (FACEGATE_ADMIN_KEY), for the operator's commands. */
export function cliAdminClient(config: CliConfig = cliConfig()): FacegateClient {
  if (!config.adminKey) {
    throw usageError(
      "FACEGATE_ADMIN_KEY is not set: the server's ADMIN_API_KEY (npm start keeps a dev one in .data/dev-admin-key)",
    );
  }
  return new FacegateClient({ baseUrl: config.url, apiKey: config.adminKey });
}
