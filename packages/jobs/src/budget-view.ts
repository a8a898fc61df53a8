import { formatMoney } from "@facegate/core";
import type { BudgetStatus } from "@facegate/records";

/** A tenant's budget as the API answers it and the budget webhook events carry it. */
export function budgetView(tenant: string, status: BudgetStatus) {
  return {
    tenant,
    period: status.period,
    period_key: status.periodKey,
    max_billable_calls: status.maxBillableCalls ?? null,
    max_spend: status.maxSpendMicros !== undefined ? formatMoney(status.maxSpendMicros) : null,
    alert_at: status.alertAt ?? null,
    billable_calls: status.usedCalls,
    spend: formatMoney(status.usedSpendMicros),
    exhausted: status.exhausted,
  };
}
