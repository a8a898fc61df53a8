import { ApiError, api } from "../api";
import { h, notice, replace } from "../dom";
import type { Page as ConsolePage } from "../router";
import { type Budget, budgetShare, budgetText, type UsageAnswer, usageTableRows } from "../usage-views";
import { rowsTable } from "./generic-table";

export const usagePage: ConsolePage = async (root, _params, signal) => {
  const body = h("div", { id: "usage" }, h("p", { class: "muted" }, "Counting…"));
  replace(root, h("div", { class: "page-head" }, h("h1", {}, "Usage")), body);
  try {
    const [byVendor, byDay, budget] = await Promise.all([
      api<UsageAnswer>("/v1/usage?group_by=vendor", { signal }),
      api<UsageAnswer>("/v1/usage?group_by=day,vendor", { signal }),
      api<Budget>("/v1/budget", { signal }).catch((error) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    ]);
    const t = byVendor.total;
    replace(
      body,
      h("p", { class: "muted" }, `From the usage ledger, ${byVendor.from} to ${byVendor.to} (UTC).`),
      h(
        "dl",
        { class: "counts", id: "usage-total" },
        h("dt", {}, "calls"),
        h("dd", {}, t.calls),
        h("dt", {}, "billable calls"),
        h("dd", {}, t.billable_calls),
        h("dt", {}, "spend"),
        h("dd", {}, t.spend),
        h("dt", {}, "rate-limited answers"),
        h("dd", {}, t.rate_limited),
      ),
      h("h2", {}, "By vendor"),
      rowsTable(usageTableRows(byVendor), "usage-by-vendor"),
      h("h2", {}, "By day and vendor"),
      rowsTable(usageTableRows(byDay), "usage-by-day"),
      h("h2", {}, "Budget"),
      budget
        ? h(
            "p",
            { id: "budget" },
            h("label", { for: "budget-gauge" }, "Used this period "),
            h("meter", { id: "budget-gauge", min: 0, max: 1, value: budgetShare(budget) }),
            h("small", { class: "muted" }, ` ${budgetText(budget)}${budget.exhausted ? " — spent" : ""}`),
          )
        : h("p", { class: "muted", id: "budget" }, "No budget is set for you (the operator sets one)."),
    );
  } catch (error) {
    if (!signal.aborted) replace(body, notice((error as Error).message));
  }
};
