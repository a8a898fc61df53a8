import { api } from "../api";
import { badge, h, notice, replace, when } from "../dom";
import { CursorPager } from "../pager";
import { type Page as ConsolePage, every } from "../router";
import type { Job, Page } from "../types";

const STATUSES = ["", "queued", "running", "succeeded", "failed", "canceled"];

/** Every job of the tenant, newest first, filtered and paged; refreshed while it is open. */
export const jobsPage: ConsolePage = (root, _params, signal) => {
  const query = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const status = h(
    "select",
    { id: "filter-status", name: "status" },
    STATUSES.map((s) => h("option", { value: s, selected: s === (query.get("status") ?? "") }, s || "any")),
  );
  const batch = h("input", {
    id: "filter-batch",
    name: "batch_id",
    placeholder: "bat_…",
    value: query.get("batch_id") ?? "",
    pattern: "bat_[0-9a-z]{29}",
    size: 34,
  });
  const table = h("div", { class: "table-wrap" });
  const pagerBox = h("div", { class: "pager" });
  const message = h("div", { "aria-live": "polite" });
  /** Cursors of the pages before this one, for "newer". */
  const pager = new CursorPager(() => void load());

  async function load() {
    const params = new URLSearchParams({ limit: "25" });
    if (status.value) params.set("status", status.value);
    if (batch.value.trim()) params.set("batch_id", batch.value.trim());
    if (pager.cursor) params.set("cursor", pager.cursor);
    try {
      const page = await api<Page<Job>>(`/v1/jobs?${params}`, { signal });
      replace(message);
      replace(table, jobsTable(page.data));
      replace(pagerBox, ...pager.buttons(page.next_cursor));
    } catch (error) {
      if (!signal.aborted) replace(message, notice((error as Error).message));
    }
  }

  const filters = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        pager.reset();
        void load();
      },
    },
    h("label", { for: "filter-status" }, "Status"),
    status,
    h("label", { for: "filter-batch" }, "Batch"),
    batch,
    h("button", { type: "submit" }, "Filter"),
  );
  status.addEventListener("change", () => filters.requestSubmit());

  replace(
    root,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Jobs"),
      h("a", { class: "button", href: "#/try" }, "New job"),
    ),
    filters,
    message,
    table,
    pagerBox,
  );
  void load();
  // Live: the page shown is read again every two seconds (one request, whatever its size).
  every(2_000, signal, load);
};

export function jobsTable(jobs: Job[]): HTMLElement {
  if (jobs.length === 0)
    return h("p", { class: "muted" }, "No jobs here yet. ", h("a", { href: "#/try" }, "Try one."));
  return h(
    "table",
    { class: "jobs" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Job", "Created", "Operation", "Vendor", "Status", "Attempts", "Error"].map((c) =>
          h("th", { scope: "col" }, c),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      jobs.map((job) =>
        h(
          "tr",
          { "data-job": job.id },
          h("td", {}, h("a", { href: `#/jobs/${job.id}`, class: "mono" }, job.id)),
          h("td", {}, when(job.created_at)),
          h("td", {}, job.operation),
          h(
            "td",
            {},
            job.vendor.used ?? job.vendor.requested,
            job.vendor.requested === "auto" ? " (auto)" : "",
          ),
          h("td", {}, badge(job.status)),
          h("td", { class: "num" }, job.attempts),
          h("td", {}, job.error ? h("code", { class: "error-code" }, job.error.code) : ""),
        ),
      ),
    ),
  );
}
