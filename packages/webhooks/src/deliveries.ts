import { createHash } from "node:crypto";
import type { RedisClient, RedisKeys } from "@facegate/records";
import type { EventRef } from "./events";

export type DeliveryTarget =
  | { kind: "job_url"; url: string }
  | { kind: "endpoint"; endpointId: string; url: string };

export interface Delivery {
  id: string;
  /** `webhook-id`: the same on every attempt and on a manual replay. */
  webhookId: string;
  tenant: string;
  event: EventRef;
  target: DeliveryTarget;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  createdAt: number;
  lastAttemptAt?: number | undefined;
  finishedAt?: number | undefined;
  lastError?: string | undefined;
}

export interface DeliveryAttempt {
  at: number;
  /** HTTP status, when an answer came. */
  status?: number | undefined;
  latencyMs: number;
  ok: boolean;
  error?: string | undefined;
  /** The start of the receiver's answer, truncated. */
  response?: string | undefined;
  manual?: boolean | undefined;
}

const MAX_ATTEMPTS_LOGGED = 50;
/** Delivery logs live as long as job records would (retention) but not longer than 30 days. */
const LOG_TTL_S = 30 * 86_400;

/** KEYS: delivery, [job's delivery index]. ARGV: doc, ttl (s), id. Returns 1 when created, 0 when it existed. */
const CREATE = `
if redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX') == false then return 0 end
if KEYS[2] then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[2])
end
return 1
`;

/** Deterministic ids: emitting the same event twice (a retry of the emitter) is a no-op. */
export function deliveryIds(event: EventRef, target: DeliveryTarget): { id: string; webhookId: string } {
  const subject = event.jobId ?? event.batchId ?? event.subject ?? "";
  const eventKey = `${event.type}:${subject}`;
  const targetKey = target.kind === "endpoint" ? target.endpointId : "job_url";
  const hash = (s: string) => createHash("sha256").update(s).digest("hex");
  return {
    id: `dlv_${hash(`${eventKey}|${targetKey}`).slice(0, 29)}`,
    webhookId: `msg_${hash(eventKey).slice(0, 29)}`,
  };
}

export class Deliveries {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Store a new delivery and list it under its job, in one step: a crash in between must not
   * leave a delivery that the job's log never shows. False when it already existed.
   */
  async create(delivery: Delivery): Promise<boolean> {
    const index = delivery.event.jobId ? this.keys.jobDeliveries(delivery.event.jobId) : "";
    const created = await this.redis.eval(
      CREATE,
      index ? 2 : 1,
      ...[this.keys.delivery(delivery.id), ...(index ? [index] : [])],
      JSON.stringify(delivery),
      LOG_TTL_S,
      delivery.id,
    );
    return created === 1;
  }

  async get(id: string): Promise<Delivery | undefined> {
    const doc = await this.redis.get(this.keys.delivery(id));
    return doc ? (JSON.parse(doc) as Delivery) : undefined;
  }

  async getForTenant(tenant: string, id: string): Promise<Delivery | undefined> {
    const delivery = await this.get(id);
    return delivery?.tenant === tenant ? delivery : undefined;
  }

  async save(delivery: Delivery): Promise<void> {
    await this.redis.set(this.keys.delivery(delivery.id), JSON.stringify(delivery), "EX", LOG_TTL_S);
  }

  async addAttempt(id: string, attempt: DeliveryAttempt): Promise<void> {
    const key = this.keys.deliveryAttempts(id);
    await this.redis
      .multi()
      .rpush(key, JSON.stringify(attempt))
      .ltrim(key, -MAX_ATTEMPTS_LOGGED, -1)
      .expire(key, LOG_TTL_S)
      .exec();
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    const items = await this.redis.lrange(this.keys.deliveryAttempts(id), 0, -1);
    return items.map((i) => JSON.parse(i) as DeliveryAttempt);
  }

  async forJob(jobId: string): Promise<Delivery[]> {
    const ids = await this.redis.lrange(this.keys.jobDeliveries(jobId), 0, -1);
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map((id) => this.keys.delivery(id)));
    return docs.flatMap((d) => (d ? [JSON.parse(d) as Delivery] : []));
  }
}
