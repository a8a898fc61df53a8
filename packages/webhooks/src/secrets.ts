import { randomBytes } from "node:crypto";
import type { RedisClient, RedisKeys } from "@facegate/records";

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** After a rotation the old secret keeps signing alongside the new one for a day. */
export const ROTATION_OVERLAP_MS = 86_400_000;

export interface SecretState {
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

/**
 * Rotate a secret kept in a hash, in one step: the current secret becomes the previous one.
 * Done in Redis because a read-then-write from two processes (two rotations, or a rotation and
 * anything else rewriting the hash) could lose the secret the API just handed to the tenant.
 * KEYS: hash. ARGV: current field, previous field, until field, new secret, until (ms).
 * Returns 0 when the hash has no current secret (gone), else 1.
 */
export const ROTATE_SECRET = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4], ARGV[2], current, ARGV[3], ARGV[5])
return 1
`;

/** The tenant-wide secret used for per-job `webhook_url`s (GET /v1/webhook-secret). */
export class TenantSecrets {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(tenant: string): Promise<SecretState> {
    const key = this.keys.webhookSecrets(tenant);
    const found = await this.redis.hgetall(key);
    if (found.current) return parse(found);
    // The first read makes the secret; HSETNX makes concurrent first reads agree on one.
    await this.redis.hsetnx(key, "current", newWebhookSecret());
    return parse(await this.redis.hgetall(key));
  }

  async rotate(tenant: string): Promise<SecretState> {
    const key = this.keys.webhookSecrets(tenant);
    await this.redis.hsetnx(key, "current", newWebhookSecret());
    const until = Date.now() + ROTATION_OVERLAP_MS;
    await this.redis.eval(
      ROTATE_SECRET,
      1,
      key,
      "current",
      "previous",
      "previousUntil",
      newWebhookSecret(),
      until,
    );
    return parse(await this.redis.hgetall(key));
  }
}

function parse(h: Record<string, string>): SecretState {
  return {
    current: h.current!,
    previous: h.previous,
    previousUntil: h.previousUntil ? Number(h.previousUntil) : undefined,
  };
}
