import { Webhook } from "standardwebhooks";
import type { WebhookEvent } from "./types";

/** Headers as fetch (`Headers`), node:http (`IncomingHttpHeaders`) or a plain object gives them. */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

/** A webhook whose signature, timestamp or headers do not check out: answer it with 400 and drop it. */
export class WebhookVerificationError extends Error {
  constructor(reason: string) {
    super(`webhook not verified: ${reason}`);
    this.name = "WebhookVerificationError";
  }
}

/**
 * Check a webhook from facegate (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) against your secret — or several, while a rotation overlaps — and return
 * the event. Pass the raw body exactly as received; a re-serialised JSON object will not verify.
 * Timestamps more than 5 minutes off are refused (replays).
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: HeadersLike,
  secret: string | readonly string[],
): WebhookEvent {
  const flat: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(" ") : value;
  }
  const payload = typeof body === "string" ? body : Buffer.from(body);
  const secrets = typeof secret === "string" ? [secret] : secret;
  let reason = "no secret given";
  for (const s of secrets) {
    try {
      return new Webhook(s).verify(payload, flat) as WebhookEvent;
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  throw new WebhookVerificationError(reason);
}
