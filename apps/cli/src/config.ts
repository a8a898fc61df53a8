/** Where the CLI finds facegate, read once from the environment. */
export interface CliConfig {
  /** `FACEGATE_URL`, without a trailing slash. @defaultValue "http://127.0.0.1:8080" (what `npm start` serves) */
  url: string;
  /** `FACEGATE_API_KEY`; commands that call the API fail with a clear message when it is unset. */
  apiKey: string | undefined;
  /** `FACEGATE_ADMIN_KEY`: the server's ADMIN_API_KEY, for `facegate keys`. */
  adminKey: string | undefined;
}

export const DEFAULT_URL = "http://127.0.0.1:8080";

export function cliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const url = (env.FACEGATE_URL?.trim() || DEFAULT_URL).replace(/\/+$/, "");
  const apiKey = env.FACEGATE_API_KEY?.trim() || undefined;
  const adminKey = env.FACEGATE_ADMIN_KEY?.trim() || undefined;
  return { url, apiKey, adminKey };
}
