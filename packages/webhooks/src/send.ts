import { type Egress, EgressError } from "@facegate/egress";
import { signWebhook } from "./sign";

export interface SendResult {
  ok: boolean;
  status?: number | undefined;
  latencyMs: number;
  error?: string | undefined;
  response?: string | undefined;
  /** The receiver asked us to wait (Retry-After on 429/503). */
  retryAfterMs?: number | undefined;
  /** 410 Gone: the receiver wants no more. */
  gone: boolean;
}

const RESPONSE_LOG_BYTES = 1024;

/**
 * One delivery attempt: 2xx within the timeout is success; redirects are not followed (a 3xx
 * is a failure: following one would send a signed event somewhere the tenant never registered);
 * everything goes through the egress guard, which re-checks the address after DNS resolution.
 */
export async function sendWebhook(
  egress: Egress,
  input: { url: string; webhookId: string; body: string; secrets: string[]; timeoutMs: number },
): Promise<SendResult> {
  const started = performance.now();
  const headers = {
    ...signWebhook(input.webhookId, input.body, input.secrets),
    "user-agent": "facegate-webhooks/1",
  };
  try {
    const res = await egress.request(input.url, {
      method: "POST",
      headers,
      body: input.body,
      redirect: "manual",
      timeoutMs: input.timeoutMs,
      maxBytes: 64 * 1024,
    });
    // Latency is to the answer's status line: that is what the timeout and "2xx in time" judge.
    const latencyMs = Math.round(performance.now() - started);
    const response = await res.body.text(RESPONSE_LOG_BYTES).catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      status: res.status,
      latencyMs,
      response,
      error: ok
        ? undefined
        : res.status >= 300 && res.status < 400
          ? `redirect (${res.status}) not followed`
          : `HTTP ${res.status}`,
      retryAfterMs:
        res.status === 429 || res.status === 503 ? retryAfter(res.headers["retry-after"]) : undefined,
      gone: res.status === 410,
    };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: describe(error),
      gone: false,
    };
  }
}

/**
 * What the tenant reads in the delivery log. The guard's code leads (`timeout`, `url_not_allowed`,
 * `connection_failed`…) and its message is written to be shown to whoever gave the URL.
 */
function describe(error: unknown): string {
  if (error instanceof EgressError) return `${error.code}: ${error.message}`;
  return `request_failed: ${(error as Error)?.message ?? String(error)}`;
}

/** Retry-After as seconds or an HTTP date; capped at a day. */
export function retryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 86_400_000) : undefined;
}
