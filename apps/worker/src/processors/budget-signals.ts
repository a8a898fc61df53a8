import { budgetView, type Services } from "@facegate/jobs";
import { emitEvent } from "@facegate/webhooks";

/**
 * Tell the tenant's registered endpoints that its budget crossed `alert_at` or is spent. The
 * ledger's scripts report each crossing once per period; the event id is derived from the
 * period, so a repeat emission adds nothing.
 */
export async function emitBudgetSignal(
  services: Pick<Services, "budgets" | "webhooks" | "logger">,
  tenant: string,
  type: "budget.threshold" | "budget.exhausted",
): Promise<void> {
  try {
    const status = await services.budgets.status(tenant);
    if (!status) return;
    await emitEvent(services.webhooks, {
      type,
      tenant,
      subject: status.periodKey,
      at: Date.now(),
      data: budgetView(tenant, status),
    });
  } catch (error) {
    // A notice, not the books: the call's accounting is already settled.
    services.logger.warn({ err: error, tenant, type }, "budget event not emitted");
  }
}
