import { api, apiBlob, follow } from "../api";
import { badge, h, notice, replace, seconds, when } from "../dom";
import type { Page as ConsolePage } from "../router";
import { thumbnail } from "../thumbs";
import type { Batch, Job, Page } from "../types";
import { pageRecord } from "./page-record";

/** Items shown in the grid (the first ones; the zip has them all). */
const GRID_ITEMS = 60;

/** One batch: live counts, rate and time left, a grid of results and failures, zip, cancel. */
export const batchPage: ConsolePage = async (root, [id], signal) => {
  const loaded = await pageRecord<Batch>(root, "Batch", `/v1/batches/${id}`, signal);
  if (!loaded) return;
  let batch = loaded;
  const progress = h("div", { id: "batch-progress" });
  const grid = h("div", { class: "grid", id: "batch-grid" });
  const message = h("div", { "aria-live": "polite" });
  const actions = h("div", { class: "actions" });
  /** Jobs already drawn in their final state keep their cell (and its loaded picture). */
  const drawn = new Map<string, { status: string; cell: HTMLElement }>();
  let gridLoading = false;
  let gridAgain = false;

  const drawProgress = () => {
    const c = batch.counts;
    const done = c.succeeded + c.failed + c.canceled;
    const started = Date.parse(batch.started_at ?? batch.created_at);
    const end = batch.completed_at ? Date.parse(batch.completed_at) : Date.now();
    const rate = done > 0 ? done / Math.max(1, (end - started) / 1000) : 0;
    replace(
      progress,
      h("progress", { max: c.total || 1, value: done, "aria-label": "items done" }),
      h(
        "dl",
        { class: "counts" },
        (["total", "queued", "running", "succeeded", "failed", "canceled"] as const).flatMap((k) => [
          h("dt", {}, k),
          h("dd", { "data-count": k }, c[k]),
        ]),
        h("dt", {}, "rate"),
        h("dd", {}, `${rate.toFixed(rate < 10 ? 2 : 0)} / s`),
        h("dt", {}, "time left"),
        h("dd", {}, batch.completed_at ? "done" : seconds(batch.estimated_seconds_left)),
      ),
      h(
        "p",
        {},
        "Status ",
        badge(batch.status),
        ` · ${batch.operation} on ${batch.vendor} · created ${when(batch.created_at)}`,
      ),
      batch.error ? notice(batch.error) : null,
    );
    replace(actions, ...buttons());
  };

  function buttons() {
    return [
      h(
        "button",
        {
          type: "button",
          id: "download-zip",
          disabled: batch.counts.succeeded === 0,
          onclick: async () => {
            try {
              const blob = await apiBlob(`/v1/batches/${batch.id}/output`, { signal });
              const url = URL.createObjectURL(blob);
              const a = h("a", { href: url, download: `${batch.id}.zip` });
              document.body.append(a);
              a.click();
              a.remove();
              setTimeout(() => URL.revokeObjectURL(url), 60_000);
            } catch (error) {
              replace(message, notice((error as Error).message));
            }
          },
        },
        "Download zip",
      ),
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          id: "cancel-batch",
          disabled: Boolean(batch.completed_at || batch.canceled_at),
          onclick: async () => {
            if (!confirm("Cancel every unfinished item of this batch?")) return;
            try {
              batch = await api<Batch>(`/v1/batches/${batch.id}/cancel`, { method: "POST" });
              drawProgress();
            } catch (error) {
              replace(message, notice((error as Error).message));
            }
          },
        },
        "Cancel",
      ),
    ];
  }

  async function loadGrid() {
    if (gridLoading) {
      gridAgain = true;
      return;
    }
    gridLoading = true;
    try {
      const page = await api<Page<Job>>(`/v1/batches/${batch.id}/jobs?limit=${GRID_ITEMS}`, { signal });
      const cells = page.data.map((job) => {
        const known = drawn.get(job.id);
        if (known && known.status === job.status) return known.cell;
        const cell = gridCell(job, signal);
        drawn.set(job.id, { status: job.status, cell });
        return cell;
      });
      replace(grid, ...cells);
      if (page.data.length === 0) replace(grid, h("p", { class: "muted" }, "No items yet."));
    } catch (error) {
      if (!signal.aborted) replace(message, notice((error as Error).message));
    } finally {
      gridLoading = false;
      if (gridAgain) {
        gridAgain = false;
        void loadGrid();
      }
    }
  }

  replace(
    root,
    h("div", { class: "page-head" }, h("h1", {}, "Batch ", h("span", { class: "mono" }, batch.id)), actions),
    message,
    progress,
    h("section", {}, h("h2", {}, "Items"), grid),
  );
  drawProgress();
  void loadGrid();
  if (!batch.completed_at) {
    void follow(
      `/v1/batches/${batch.id}/events`,
      (event) => {
        batch = event.data as Batch;
        drawProgress();
        void loadGrid();
      },
      signal,
    ).catch((error: unknown) => replace(message, notice((error as Error).message)));
  }
};

function gridCell(job: Job, signal: AbortSignal): HTMLElement {
  const label = h("a", { href: `#/jobs/${job.id}` }, job.item?.name ?? job.id);
  if (job.status === "succeeded")
    return h(
      "div",
      { class: "cell", "data-status": job.status, "data-job": job.id },
      thumbnail(job.id, "result", signal),
      label,
    );
  return h(
    "div",
    { class: "cell cell-text", "data-status": job.status, "data-job": job.id },
    badge(job.status),
    job.error ? h("code", { class: "error-code" }, job.error.code) : null,
    job.error ? h("span", { class: "detail" }, job.error.message) : null,
    label,
  );
}
