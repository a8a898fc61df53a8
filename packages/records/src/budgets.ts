import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";
import { dayOf, monthOf } from "./usage-time";

/** A tenant's spending limit for a UTC day or month. At least one of the two maxima is set. */
export interface Budget {
  period: "day" | "month";
  maxBillableCalls?: number | undefined;
  /** Micro-units. */
  maxSpendMicros?: number | undefined;
  /** Share (0..1] of a maximum at which `budget.threshold` is sent. */
  alertAt?: number | undefined;
}

/** A budget with what the current period has used (calls in flight are counted: reserved). */
export interface BudgetStatus extends Budget {
  /** `YYYY-MM-DD` or `YYYY-MM`, UTC. */
  periodKey: string;
  usedCalls: number;
  usedSpendMicros: number;
  exhausted: boolean;
}

/** Budgets per tenant; what they count is reserved and settled by the ledger's scripts. */
export class Budgets {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async get(tenant: string): Promise<Budget | undefined> {
    const h = await this.redis.hgetall(this.keys.budget(tenant));
    if (h.period !== "day" && h.period !== "month") return undefined;
    return {
      period: h.period,
      maxBillableCalls: h.max_calls ? Number(h.max_calls) : undefined,
      maxSpendMicros: h.max_spend ? Number(h.max_spend) : undefined,
      alertAt: h.alert_at ? Number(h.alert_at) : undefined,
    };
  }

  /** Replace the tenant's budget (one write: a worker never sees half of it). */
  async set(tenant: string, budget: Budget): Promise<void> {
    const fields: Record<string, string> = { period: budget.period };
    if (budget.maxBillableCalls !== undefined) fields.max_calls = String(budget.maxBillableCalls);
    if (budget.maxSpendMicros !== undefined) fields.max_spend = String(budget.maxSpendMicros);
    if (budget.alertAt !== undefined) fields.alert_at = String(budget.alertAt);
    const key = this.keys.budget(tenant);
    // The tenant list is not in the tenant's slot (a cluster refuses one MULTI across slots); a
    // tenant listed before its budget is written is harmless: it reads as having none.
    await this.redis.sadd(this.keys.usageTenants, tenant);
    await this.redis.multi().del(key).hset(key, fields).exec();
  }

  async delete(tenant: string): Promise<boolean> {
    return (await this.redis.del(this.keys.budget(tenant))) === 1;
  }

  /** The budget and its use in the period that contains `at`; undefined without a budget. */
  async status(tenant: string, at = Date.now()): Promise<BudgetStatus | undefined> {
    const budget = await this.get(tenant);
    if (!budget) return undefined;
    const periodKey = budget.period === "day" ? dayOf(at) : monthOf(at);
    const [calls, spend] = await this.redis.hmget(this.keys.budgetUse(tenant, periodKey), "calls", "spend");
    const usedCalls = Number(calls ?? 0);
    const usedSpendMicros = Number(spend ?? 0);
    const exhausted =
      (budget.maxBillableCalls !== undefined && usedCalls >= budget.maxBillableCalls) ||
      (budget.maxSpendMicros !== undefined && usedSpendMicros >= budget.maxSpendMicros);
    return { ...budget, periodKey, usedCalls, usedSpendMicros, exhausted };
  }
}
