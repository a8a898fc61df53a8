import { newId } from "@facegate/core";
import type { RedisKeys } from "@facegate/records";
import type { Redis } from "ioredis";
import type { EventType } from "./events";
import { newWebhookSecret, ROTATION_OVERLAP_MS, signingSecrets } from "./secrets";

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

/** A tenant's registered webhook endpoints (`/v1/webhook-endpoints`). */
export class WebhookEndpoints {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async create(input: { tenant: string; url: string; events: EventType[]; description?: string }) {
    const endpoint: WebhookEndpoint = {
      id: newId("whe"),
      tenant: input.tenant,
      url: input.url,
      events: input.events,
      description: input.description,
      secret: newWebhookSecret(),
      createdAt: Date.now(),
    };
    await this.redis
      .multi()
      .set(this.keys.webhookEndpoint(endpoint.id), JSON.stringify(endpoint))
      .zadd(this.keys.webhookEndpoints(input.tenant), endpoint.createdAt, endpoint.id)
      .exec();
    return endpoint;
  }

  async get(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    const doc = await this.redis.get(this.keys.webhookEndpoint(id));
    const endpoint = doc ? (JSON.parse(doc) as WebhookEndpoint) : undefined;
    return endpoint?.tenant === tenant ? endpoint : undefined;
  }

  async list(tenant: string): Promise<WebhookEndpoint[]> {
    const ids = await this.redis.zrange(this.keys.webhookEndpoints(tenant), 0, -1);
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map((id) => this.keys.webhookEndpoint(id)));
    return docs.flatMap((d) => (d ? [JSON.parse(d) as WebhookEndpoint] : []));
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

  async rotateSecret(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    return this.change(tenant, id, (e) => {
      e.previousSecret = e.secret;
      e.previousSecretUntil = Date.now() + ROTATION_OVERLAP_MS;
      e.secret = newWebhookSecret();
    });
  }

  async enable(tenant: string, id: string): Promise<WebhookEndpoint | undefined> {
    return this.change(tenant, id, (e) => {
      e.disabledAt = undefined;
      e.disabledReason = undefined;
      e.failingSince = undefined;
    });
  }

  async disable(tenant: string, id: string, reason: string): Promise<WebhookEndpoint | undefined> {
    return this.change(tenant, id, (e) => {
      e.disabledAt ??= Date.now();
      e.disabledReason = reason;
    });
  }

  /** Track an unbroken run of failures; disable after DISABLE_AFTER_FAILING_MS of them. */
  async recordOutcome(tenant: string, id: string, ok: boolean): Promise<WebhookEndpoint | undefined> {
    return this.change(tenant, id, (e) => {
      if (ok) {
        e.failingSince = undefined;
        return;
      }
      e.failingSince ??= Date.now();
      if (!e.disabledAt && Date.now() - e.failingSince >= DISABLE_AFTER_FAILING_MS) {
        e.disabledAt = Date.now();
        e.disabledReason = `every delivery failed for ${Math.round(DISABLE_AFTER_FAILING_MS / 86_400_000)} days`;
      }
    });
  }

  secrets(endpoint: WebhookEndpoint): string[] {
    return signingSecrets({
      current: endpoint.secret,
      previous: endpoint.previousSecret,
      previousUntil: endpoint.previousSecretUntil,
    });
  }

  private async change(tenant: string, id: string, apply: (e: WebhookEndpoint) => void) {
    const endpoint = await this.get(tenant, id);
    if (!endpoint) return undefined;
    apply(endpoint);
    await this.redis.set(this.keys.webhookEndpoint(id), JSON.stringify(endpoint));
    return endpoint;
  }
}
