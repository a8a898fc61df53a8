import type { CliConfig } from "./config";
import { CliError } from "./errors";

/**
 * A small JSON client for facegate's API. Errors come back as RFC 9457 problem details; their
 * `detail` is what the user reads.
 */
export async function apiJson<T>(config: CliConfig, path: string, init: RequestInit = {}): Promise<T> {
  if (!config.apiKey) {
    throw new CliError("FACEGATE_API_KEY is not set (npm start prints a dev key when it starts)");
  }
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${config.apiKey}`);
  headers.set("accept", "application/json");
  let res: Response;
  try {
    res = await fetch(`${config.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, a timeout).
    const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CliError(
      `cannot reach facegate at ${config.url} (${why}); is it running? Set FACEGATE_URL if it runs elsewhere`,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 200);
    try {
      const problem = JSON.parse(text) as { detail?: string; code?: string };
      detail = [problem.code, problem.detail].filter(Boolean).join(": ") || detail;
    } catch {
      // Not a problem document: show the start of whatever came back.
    }
    throw new CliError(`${init.method ?? "GET"} ${path} answered ${res.status}: ${detail}`);
  }
  return JSON.parse(text) as T;
}
