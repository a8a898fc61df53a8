import { Webhook } from "standardwebhooks";

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
  "content-type": "application/json";
}

/**
 * Standard Webhooks headers for one attempt. The id is stable across retries (receivers
 * deduplicate on it); the timestamp is this attempt's; during a secret rotation the body is
 * signed with each live secret, space-separated, as the spec allows.
 */
export function signWebhook(
  webhookId: string,
  body: string,
  secrets: string[],
  at = new Date(),
): SignedHeaders {
  const signature = secrets.map((secret) => new Webhook(secret).sign(webhookId, at, body)).join(" ");
  return {
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
    "content-type": "application/json",
  };
}
