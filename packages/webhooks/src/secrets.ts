import { randomBytes } from "node:crypto";
import type { RedisKeys } from "@facegate/records";
import type { Redis } from "ioredis";

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** After a rotation the old secret keeps signing alongside the new one for a day. */
export const ROTATION_OVERLAP_MS = 86_400_000;

interface SecretState {
  current: string;
  previous?: string | undefined;
  previousUntil?: number | undefined;
}

/** The secrets that sign now: the current one, plus the previous during the overlap. */
export function signingSecrets(state: SecretState, now = Date.now()): string[] {
  return state.previous && (state.previousUntil ?? 0) > now
    ? [state.current, state.previous]
    : [state.current];
}

/** The tenant-wide secret used for per-job `webhook_url`s (GET /v1/webhook-secret). */
export class TenantSecrets {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(tenant: string): Promise<SecretState> {
    const key = this.keys.webhookSecrets(tenant);
    // HSETNX makes concurrent first reads agree on one secret.
    await this.redis.hsetnx(key, "current", newWebhookSecret());
    const h = await this.redis.hgetall(key);
    return {
      current: h.current!,
      previous: h.previous,
      previousUntil: h.previousUntil ? Number(h.previousUntil) : undefined,
    };
  }

  async rotate(tenant: string): Promise<SecretState> {
    const before = await this.get(tenant);
    const next = newWebhookSecret();
    const previousUntil = Date.now() + ROTATION_OVERLAP_MS;
    await this.redis.hset(this.keys.webhookSecrets(tenant), {
      current: next,
      previous: before.current,
      previousUntil,
    });
    return { current: next, previous: before.current, previousUntil };
  }
}
