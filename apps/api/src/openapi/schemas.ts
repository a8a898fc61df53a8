import { EVENT_TYPES } from "@facegate/webhooks";
import { z } from "zod";

/**
 * Response shapes of routes that build their answers by hand (no zod schema of their own yet).
 * `openapi.test.ts` parses the real answers with these, so they cannot drift unnoticed.
 */

/** An id with its type prefix, as `newId` makes them. */
export const prefixedId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{29}$`));

const isoOrNull = z.string().nullable();

export const outputLinkSchema = z
  .object({
    url: z.string().describe("A presigned URL of the output; no API key needed."),
    expires_at: z.string().describe("When the link stops working (at most an hour)."),
    content_type: z.string(),
    bytes: z.int(),
  })
  .describe("A short-lived link to a job's output.");

export const healthSchema = z.object({ status: z.literal("ok") });

export const readinessSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  checks: z.object({ redis: z.enum(["ok", "unavailable"]), storage: z.enum(["ok", "unavailable"]) }),
});

export const webhookSecretSchema = z.object({
  secret: z.string().describe("`whsec_…`: verifies webhooks sent to per-job `webhook_url`s."),
  previous_valid_until: isoOrNull.describe("After a rotation, until when the previous secret still signs."),
});

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    object: z.literal("webhook_endpoint"),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)).describe("Subscribed event types; empty means all."),
    description: z.string().nullable(),
    created_at: z.string(),
    failing_since: isoOrNull,
    disabled_at: isoOrNull,
    disabled_reason: z.string().nullable(),
    previous_secret_valid_until: isoOrNull.describe(
      "After a rotation, until when the previous secret still signs.",
    ),
    secret: z.string().optional().describe("Only on creation and rotation."),
  })
  .describe("A registered webhook endpoint.");

export const webhookEndpointListSchema = z.object({ data: z.array(webhookEndpointSchema) });

export const deliverySchema = z
  .object({
    id: z.string(),
    object: z.literal("delivery"),
    webhook_id: z.string().describe("The `webhook-id` header: the same on every attempt and replay."),
    event: z.enum(EVENT_TYPES),
    job_id: z.string().nullable(),
    batch_id: z.string().nullable(),
    target: z.union([z.object({ endpoint_id: z.string() }), z.object({ webhook_url: z.literal(true) })]),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.array(
      z.object({
        at: z.string(),
        status: z.int().nullable(),
        latency_ms: z.number(),
        ok: z.boolean(),
        error: z.string().nullable(),
        response: z.string().nullable(),
        manual: z.boolean(),
      }),
    ),
    created_at: z.string(),
    last_attempt_at: isoOrNull,
    finished_at: isoOrNull,
    last_error: z.string().nullable(),
  })
  .describe("One event sent to one target, with its attempts.");

export const deliveryListSchema = z.object({ data: z.array(deliverySchema) });
