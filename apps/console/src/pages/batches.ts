import { api } from "../api";
import { badge, h, notice, replace, seconds, when } from "../dom";
import { CursorPager } from "../pager";
import { type Page as ConsolePage, every } from "../router";
import type { Batch, Page } from "../types";

/** The tenant's batches, newest first, with their progress; refreshed while open. */
export const batchesPage: ConsolePage = (root, _params, signal) => {
  const list = h("div", { class: "table-wrap" });
  const pagerBox = h("div", { class: "pager" });
  const message = h("div", { "aria-live": "polite" });
  const pager = new CursorPager(() => void load());

  async function load() {
    try {
      const page = await api<Page<Batch>>(
        `/v1/batches?limit=20${pager.cursor ? `&cursor=${pager.cursor}` : ""}`,
        {
          signal,
        },
      );
      replace(message);
      replace(list, batchesTable(page.data));
      replace(pagerBox, ...pager.buttons(page.next_cursor));
    } catch (error) {
      if (!signal.aborted) replace(message, notice((error as Error).message));
    }
  }
  replace(root, h("div", { class: "page-head" }, h("h1", {}, "Batches")), message, list, pagerBox);
  void load();
  every(3_000, signal, load);
};

function batchesTable(batches: Batch[]): HTMLElement {
  if (batches.length === 0)
    return h(
      "p",
      { class: "muted" },
      "No batches yet. Create one with POST /v1/batches or `npm run facegate -- batch create` (see docs/cli.md).",
    );
  return h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ["Batch", "Created", "Operation", "Status", "Progress", "Failed", "Time left"].map((c) =>
          h("th", { scope: "col" }, c),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      batches.map((b) => {
        const done = b.counts.succeeded + b.counts.failed + b.counts.canceled;
        return h(
          "tr",
          { "data-batch": b.id },
          h("td", {}, h("a", { href: `#/batches/${b.id}`, class: "mono" }, b.id)),
          h("td", {}, when(b.created_at)),
          h("td", {}, b.operation),
          h("td", {}, badge(b.status)),
          h(
            "td",
            {},
            h("progress", {
              max: b.counts.total || 1,
              value: done,
              "aria-label": `${done} of ${b.counts.total} done`,
            }),
            ` ${done} / ${b.counts.total}`,
          ),
          h("td", { class: "num" }, b.counts.failed),
          h("td", {}, seconds(b.estimated_seconds_left)),
        );
      }),
    ),
  );
}
