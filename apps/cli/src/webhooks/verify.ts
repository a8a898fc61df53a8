import { Webhook } from "standardwebhooks";

export type Verdict = { ok: true; payload: unknown } | { ok: false; reason: string };

/**
 * Verify a request with any of the given secrets (a tenant secret and endpoint secrets can all be
 * passed). Uses the same `standardwebhooks` package a receiver would, so "verified" here means
 * "verifies in your app".
 */
export function verifyRequest(secrets: string[], body: string, headers: Record<string, string>): Verdict {
  let reason = "no secret to verify with";
  for (const secret of secrets) {
    try {
      return { ok: true, payload: new Webhook(secret).verify(body, headers) };
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  return { ok: false, reason };
}
