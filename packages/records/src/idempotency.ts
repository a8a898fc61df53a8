import { CLAIM, RELEASE, RENEW } from "./idempotency-scripts";
import { LuaScript } from "./lua-script";
import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_S = 86_400;
/**
 * How long a claim outlives its request's last sign of life. The request renews it every third
 * of this; a request whose process died lets it lapse, and a retry then takes the claim over.
 */
export const IDEMPOTENCY_LEASE_MS = 6_000;

const CLAIM_SCRIPT = new LuaScript(CLAIM);
const RENEW_SCRIPT = new LuaScript(RENEW);
const RELEASE_SCRIPT = new LuaScript(RELEASE);

export type IdempotencyClaim =
  | { status: "new" }
  | { status: "replay"; jobId: string }
  | { status: "mismatch" }
  | { status: "in_progress" };

/** Who holds a claim while creating its job; the job's creation checks it (`JobRecords.create`). */
export interface ClaimHold {
  key: string;
  owner: string;
}

/**
 * `Idempotency-Key` for POST /v1/jobs (draft-ietf-httpapi-idempotency-key): the first request
 * with a key claims it with its body's fingerprint; a repeat with the same fingerprint gets
 * the same job, a different body is refused (422), a repeat while the first is still being
 * accepted is told so (409).
 *
 * A claim is a lease while its request lives, not a 24-hour lock: the job is recorded under the
 * claim in the same Redis step that creates it, so a claim without a job id means no job exists;
 * when its request dies (a crashed API process), the lease lapses within IDEMPOTENCY_LEASE_MS
 * and a retry takes the claim over. A request that lost its claim that way cannot create a
 * second job: the creation step refuses an owner that no longer holds the claim.
 */
export class IdempotencyKeys {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  hold(tenant: string, key: string, owner: string): ClaimHold {
    return { key: this.keys.idempotency(tenant, key), owner };
  }

  async claim(hold: ClaimHold, fingerprint: string): Promise<IdempotencyClaim> {
    const [status, jobId] = (await CLAIM_SCRIPT.run(
      this.redis,
      [hold.key],
      [fingerprint, hold.owner, IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_TTL_S],
    )) as [string, string | undefined];
    if (status === "replay" && jobId) return { status, jobId };
    if (status === "new" || status === "mismatch" || status === "in_progress") return { status };
    throw new Error(`unexpected idempotency claim answer: ${status}`);
  }

  /** Keep the claim while the request works; stop with the returned function. */
  keepAlive(hold: ClaimHold, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      RENEW_SCRIPT.run(this.redis, [hold.key], [hold.owner, IDEMPOTENCY_LEASE_MS]).catch(onError);
    }, IDEMPOTENCY_LEASE_MS / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The request failed before a job existed: let the key be used again. */
  async release(hold: ClaimHold): Promise<void> {
    await RELEASE_SCRIPT.run(this.redis, [hold.key], [hold.owner]);
  }
}
