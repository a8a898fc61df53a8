import { newId } from "@facegate/core";
import type { RedisClient, RedisKeys } from "@facegate/records";
import type { EventType } from "./events";
import { newWebhookSecret, ROTATE_SECRET, ROTATION_OVERLAP_MS, signingSecrets } from "./secrets";

export interface WebhookEndpoint {
  id: string;
  tenant: string;
  url: string;
  /** Event types delivered; empty means all. */
  events: EventType[];
  description?: string | undefined;
  secret: string;
  previousSecret?: string | undefined;
  previousSecretUntil?: number | undefined;
  createdAt: number;
  /** Set when the first failure of an unbroken run of failures happened. */
  failingSince?: number | undefined;
  disabledAt?: number | undefined;
  disabledReason?: string | undefined;
}

/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;

/** What one delivery attempt did to its endpoint's health. */
export type EndpointHealth = "gone" | "healthy" | "failing" | "disabled";

/*
 * An endpoint is a Redis hash, so each writer touches only its own fields: the API rotates the
 * secret while workers record outcomes of deliveries in flight, and neither may overwrite the
 * other's change with a stale copy. The scripts refuse to write to a deleted endpoint (a late
 * outcome must not bring back a half endpoint).
 */

/** KEYS: endpoint. ARGV: now, disable after (ms), reason. Returns 0 gone, 1 failing, 2 disabled now. */
const RECORD_FAILURE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSETNX', KEYS[1], 'failingSince', ARGV[1])
if redis.call('HEXISTS', KEYS[1], 'disabledAt') == 1 then return 1 end
local since = tonumber(redis.call('HGET', KEYS[1], 'failingSince'))
if tonumber(ARGV[1]) - since < tonumber(ARGV[2]) then return 1 end
redis.call('HSET', KEYS[1], 'disabledAt', ARGV[1], 'disabledReason', ARGV[3])
return 2
`;

/** KEYS: endpoint. ARGV: now, reason. Keeps the first disabling time. Returns 0 when gone. */
const DISABLE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSETNX', KEYS[1], 'disabledAt', ARGV[1])
redis.call('HSET', KEYS[1], 'disabledReason', ARGV[2])
return 1
`;

/** A tenant's registered webhook endpoints (`/v1/webhook-endpoints`). */
export class WebhookEndpoints {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async create(input: {
    tenant: string;
    url: string;
    events: EventType[];
    description?: string | undefined;
  }) {
    const endpoint: WebhookEndpoint = {
      id: newId("whe"),
      tenant: input.tenant,
      url: input.url,
      events: input.events,
      description: input.description,
      secret: newWebhookSecret(),
      createdAt: Date.now(),
    };
    const fields: Record<string, string> = {
      tenant: endpoint.tenant,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      secret: endpoint.secret,
      createdAt: String(endpoint.createdAt),
    };
    if (endpoint.description !== undefined) fields.description = endpoint.description;
    await this.redis
      .multi()
      .hset(this.keys.webhookEndpoint(endpoint.id), fields)
      .zadd(this.keys.webhookEndpoints(input.tenant), endpoint.createdAt, endpoint.id)
      .exec();
    return endpoint;
  }

  async get(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    const endpoint = fromHash(id, await this.redis.hgetall(this.keys.webhookEndpoint(id)));
    return endpoint?.tenant === tenant ? endpoint : undefined;
  }

  async list(tenant: string): Promise<WebhookEndpoint[]> {
    const ids = await this.redis.zrange(this.keys.webhookEndpoints(tenant), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.webhookEndpoint(id));
    const results = (await pipeline.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const endpoint = fromHash(id, results[i]?.[1] as Record<string, string> | undefined);
      return endpoint ? [endpoint] : [];
    });
  }

  /** Live endpoints of a tenant that want this event type. */
  async subscribed(tenant: string, type: EventType): Promise<WebhookEndpoint[]> {
    return (await this.list(tenant)).filter(
      (e) => !e.disabledAt && (e.events.length === 0 || e.events.includes(type)),
    );
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    const endpoint = await this.get(tenant, id);
    if (!endpoint) return false;
    await this.redis
      .multi()
      .del(this.keys.webhookEndpoint(id))
      .zrem(this.keys.webhookEndpoints(tenant), id)
      .exec();
    return true;
  }

  /** A new secret; the old one keeps signing too for ROTATION_OVERLAP_MS. */
  async rotateSecret(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    if (!(await this.get(tenant, id))) return undefined;
    const until = Date.now() + ROTATION_OVERLAP_MS;
    const key = this.keys.webhookEndpoint(id);
    await this.redis.eval(
      ROTATE_SECRET,
      1,
      key,
      "secret",
      "previousSecret",
      "previousSecretUntil",
      newWebhookSecret(),
      until,
    );
    return this.get(tenant, id);
  }

  async enable(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    if (!(await this.get(tenant, id))) return undefined;
    await this.redis.hdel(this.keys.webhookEndpoint(id), "disabledAt", "disabledReason", "failingSince");
    return this.get(tenant, id);
  }

  async disable(tenant: string, id: string, reason: string): Promise<WebhookEndpoint | undefined> {
    if (!(await this.get(tenant, id))) return undefined;
    await this.redis.eval(DISABLE, 1, this.keys.webhookEndpoint(id), Date.now(), reason);
    return this.get(tenant, id);
  }

  /**
   * Track an unbroken run of failed attempts; after DISABLE_AFTER_FAILING_MS of them the endpoint
   * is disabled, with the last error in the reason so the tenant can see why.
   */
  async recordOutcome(
    id: string,
    outcome: { ok: boolean; error?: string | undefined },
  ): Promise<EndpointHealth> {
    const key = this.keys.webhookEndpoint(id);
    if (outcome.ok) {
      await this.redis.hdel(key, "failingSince");
      return "healthy";
    }
    const days = Math.round((DISABLE_AFTER_FAILING_MS / 86_400_000) * 10) / 10;
    const reason = `every delivery failed for ${days} days (last error: ${outcome.error ?? "unknown"})`;
    const result = await this.redis.eval(
      RECORD_FAILURE,
      1,
      key,
      Date.now(),
      DISABLE_AFTER_FAILING_MS,
      reason,
    );
    return result === 0 ? "gone" : result === 2 ? "disabled" : "failing";
  }

  secrets(endpoint: WebhookEndpoint): string[] {
    return signingSecrets({
      current: endpoint.secret,
      previous: endpoint.previousSecret,
      previousUntil: endpoint.previousSecretUntil,
    });
  }
}

function fromHash(id: string, h: Record<string, string> | undefined): WebhookEndpoint | undefined {
  if (!h?.tenant || !h.url || !h.secret) return undefined;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    id,
    tenant: h.tenant,
    url: h.url,
    events: JSON.parse(h.events ?? "[]") as EventType[],
    description: h.description,
    secret: h.secret,
    previousSecret: h.previousSecret,
    previousSecretUntil: num(h.previousSecretUntil),
    createdAt: Number(h.createdAt),
    failingSince: num(h.failingSince),
    disabledAt: num(h.disabledAt),
    disabledReason: h.disabledReason,
  };
}
