import { ApiError, api } from "../api";
import { h, notice, replace } from "../dom";
import type { Page as ConsolePage } from "../router";
import type { Job, Page } from "../types";
import { type UsageAnswer, usageTableRows } from "../usage-views";
import { rowsTable } from "./generic-table";

/** Jobs read to count calls when the API has no usage ledger to ask. */
const MAX_JOBS = 1_000;

interface Row {
  day: string;
  vendor: string;
  jobs: number;
  calls: number;
  succeeded: number;
  failed: number;
}

/** Calls per vendor and day, counted from the jobs themselves (their attempts and outcomes). */
export function countFromJobs(jobs: Job[]): Row[] {
  const rows = new Map<string, Row>();
  for (const job of jobs) {
    const day = (job.created_at ?? "").slice(0, 10);
    const vendor = job.vendor.used ?? "(none)";
    const key = `${day} ${vendor}`;
    const row = rows.get(key) ?? { day, vendor, jobs: 0, calls: 0, succeeded: 0, failed: 0 };
    row.jobs += 1;
    row.calls += job.attempts;
    if (job.status === "succeeded") row.succeeded += 1;
    if (job.status === "failed") row.failed += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.day.localeCompare(a.day) || a.vendor.localeCompare(b.vendor));
}

/**
 * Usage: the ledger's figures (`GET /v1/usage`) where the API has them; otherwise calls counted
 * from the tenant's most recent jobs.
 */
export const usagePage: ConsolePage = async (root, _params, signal) => {
  const body = h("div", { id: "usage" }, h("p", { class: "muted" }, "Counting…"));
  replace(root, h("div", { class: "page-head" }, h("h1", {}, "Usage")), body);
  try {
    const [byVendor, byDay] = await Promise.all([
      api<UsageAnswer>("/v1/usage?group_by=vendor", { signal }),
      api<UsageAnswer>("/v1/usage?group_by=day,vendor", { signal }),
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
      h(
        "p",
        { class: "muted" },
        "Budgets are set by the operator; the admin page shows each tenant's gauge.",
      ),
    );
    return;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) {
      if (!signal.aborted) replace(body, notice((error as Error).message));
      return;
    }
  }
  const jobs: Job[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Job> = await api<Page<Job>>(`/v1/jobs?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
      signal,
    });
    jobs.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor && jobs.length < MAX_JOBS);
  const rows = countFromJobs(jobs);
  const total = rows.reduce((t, r) => ({ calls: t.calls + r.calls, succeeded: t.succeeded + r.succeeded }), {
    calls: 0,
    succeeded: 0,
  });
  const billable = h("meter", {
    min: 0,
    max: Math.max(1, total.calls),
    value: total.succeeded,
    id: "billable-share",
  });
  replace(
    body,
    notice(
      `Counted from your ${jobs.length} most recent jobs: vendor calls are their attempts; a succeeded job is one billable call. Spend and budgets come with the usage ledger.`,
      "info",
    ),
    h(
      "dl",
      { class: "counts" },
      h("dt", {}, "calls"),
      h("dd", {}, total.calls),
      h("dt", {}, "billable (with a result)"),
      h("dd", {}, total.succeeded),
    ),
    h("label", { for: "billable-share" }, "Billable share of calls "),
    billable,
    h("h2", {}, "By vendor and day"),
    rowsTable(rows as unknown as Record<string, unknown>[], "usage-rows"),
  );
};
