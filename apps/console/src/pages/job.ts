import { api, follow } from "../api";
import { badge, bytes, h, notice, replace, when } from "../dom";
import type { Page as ConsolePage } from "../router";
import type { StreamEvent } from "../sse";
import { thumbnail } from "../thumbs";
import type { Job } from "../types";
import { deliveriesSection } from "./deliveries";
import { pageRecord } from "./page-record";

interface TimelineEntry {
  at: string | null;
  what: string;
  detail?: string;
  kind: string;
}

/** The timeline a job's record already tells (for a page opened after some of it happened). */
function fromRecord(job: Job): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: job.created_at, what: "queued", kind: "queued" }];
  if (job.started_at)
    entries.push({ at: job.started_at, what: "running", detail: job.vendor.used ?? "", kind: "running" });
  for (const note of job.routing) {
    entries.push({
      at: note.at,
      what: `${note.vendor} ${note.outcome.replace("_", " ")}`,
      detail: note.reason,
      kind: "failover",
    });
  }
  if (job.finished_at) entries.push(finalEntry(job));
  return entries;
}

function finalEntry(job: Job): TimelineEntry {
  return {
    at: job.finished_at,
    what: job.status,
    detail: job.error ? `${job.error.code}: ${job.error.message}` : "",
    kind: job.status,
  };
}

/** The fields of the job stream's progress events (see the API reference). */
interface ProgressData {
  at: string | null;
  vendor?: string | null;
  attempt?: number;
  code?: string;
  vendor_code?: string | null;
  message?: string;
  retryable?: boolean;
  wait_ms?: number;
  by?: "vendor" | "pacer";
  reason?: string;
}

/** One stream event as a timeline line. */
function fromEvent(event: StreamEvent): TimelineEntry | undefined {
  const d = event.data as ProgressData;
  switch (event.event) {
    case "queued":
      return { at: d.at, what: "queued", kind: "queued" };
    case "running":
      return { at: d.at, what: "running", detail: d.vendor ?? "", kind: "running" };
    case "attempt":
      return { at: d.at, what: `attempt ${d.attempt} started`, detail: d.vendor ?? "", kind: "attempt" };
    case "attempt_failed":
      return {
        at: d.at,
        what: `attempt ${d.attempt} failed`,
        detail: `${d.code}${d.vendor_code ? ` (vendor: ${d.vendor_code})` : ""} — ${d.message}${d.retryable ? "; retrying" : ""}`,
        kind: "attempt_failed",
      };
    case "rate_limited":
      return {
        at: d.at,
        what: "rate-limited, waiting",
        detail: `${d.vendor}: ${Math.round(d.wait_ms ?? 0)} ms (${d.by === "vendor" ? "the vendor said so" : "facegate's pacing"})`,
        kind: "rate_limited",
      };
    case "failover":
      return { at: d.at, what: `${d.vendor} failed over`, detail: d.reason ?? "", kind: "failover" };
    default:
      return undefined;
  }
}

/** One job: live timeline, attempts and answers, pictures, output, webhook deliveries, actions. */
export const jobPage: ConsolePage = async (root, [id], signal) => {
  const loaded = await pageRecord<Job>(root, "Job", `/v1/jobs/${id}`, signal);
  if (!loaded) return;
  let job = loaded;
  const timeline = h("ol", { class: "timeline", id: "timeline", "aria-live": "polite" });
  const summary = h("div", { id: "job-summary" });
  const pictures = h("div", { class: "pictures", id: "pictures" });
  const output = h("div", { id: "job-output" });
  const deliveries = h("div", { id: "deliveries" });
  const actions = h("div", { class: "actions" });
  const message = h("div", { "aria-live": "polite" });
  const entries = fromRecord(job);

  const drawTimeline = () =>
    replace(
      timeline,
      entries.map((e) =>
        h(
          "li",
          { class: `tl-${e.kind}` },
          h("time", { datetime: e.at ?? "" }, when(e.at)),
          h("strong", {}, e.what),
          e.detail ? h("span", { class: "detail" }, e.detail) : null,
        ),
      ),
    );

  const draw = () => {
    replace(summary, summaryList(job));
    replace(
      pictures,
      ...(["target", "template", "result"] as const).map((role) => thumbnail(job.id, role, signal)),
    );
    replace(output, outputSection(job));
    replace(actions, ...actionButtons());
    drawTimeline();
  };

  function actionButtons() {
    const final = ["succeeded", "failed", "canceled"].includes(job.status);
    return [
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          id: "cancel-job",
          disabled: final,
          onclick: () => act("cancel"),
        },
        "Cancel",
      ),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          id: "erase-job",
          disabled: Boolean(job.erased_at),
          onclick: () => act("erase"),
        },
        "Erase",
      ),
    ];
  }

  async function act(what: "cancel" | "erase") {
    const question =
      what === "cancel"
        ? "Cancel this job?"
        : "Erase this job's inputs, result and payload? This cannot be undone.";
    if (!confirm(question)) return;
    try {
      job = await api<Job>(what === "cancel" ? `/v1/jobs/${job.id}/cancel` : `/v1/jobs/${job.id}`, {
        method: what === "cancel" ? "POST" : "DELETE",
      });
      replace(message, notice(what === "cancel" ? "Canceled." : "Erased.", "info"));
      draw();
    } catch (error) {
      replace(message, notice((error as Error).message));
    }
  }

  replace(
    root,
    h("div", { class: "page-head" }, h("h1", {}, "Job ", h("span", { class: "mono" }, job.id)), actions),
    message,
    h(
      "div",
      { class: "columns" },
      h("section", {}, h("h2", {}, "Summary"), summary),
      h("section", {}, h("h2", {}, "Timeline"), timeline),
    ),
    h("section", {}, h("h2", {}, "Target · template · result"), pictures),
    h("section", {}, h("h2", {}, "Output"), output),
    h("section", {}, h("h2", {}, "Webhook deliveries"), deliveries),
  );
  draw();
  deliveriesSection(deliveries, job.id, signal);

  if (!job.finished_at) {
    void follow(
      `/v1/jobs/${job.id}/events`,
      (event) => {
        if (["succeeded", "failed", "canceled"].includes(event.event)) {
          job = event.data as Job;
          if (!entries.some((e) => e.kind === job.status)) entries.push(finalEntry(job));
          draw();
          deliveriesSection(deliveries, job.id, signal);
          return;
        }
        const entry = fromEvent(event);
        // The record already told what happened before the stream opened.
        if (
          !entry ||
          entries.some((e) => e.kind === entry.kind && e.what === entry.what && entry.kind !== "rate_limited")
        )
          return;
        entries.push(entry);
        if (event.event === "running") job = { ...job, status: "running" };
        drawTimeline();
        replace(summary, summaryList(job));
      },
      signal,
    ).catch((error: unknown) => replace(message, notice((error as Error).message)));
  }
};

function summaryList(job: Job): HTMLElement {
  const row = (term: string, ...value: (Node | string)[]) => [h("dt", {}, term), h("dd", {}, ...value)];
  return h(
    "dl",
    { class: "summary" },
    row("Status", badge(job.status)),
    row("Operation", job.operation),
    row("Vendor asked", job.vendor.requested),
    row("Vendor used", job.vendor.used ?? "—"),
    row("Attempts", String(job.attempts)),
    job.error
      ? row(
          "Error",
          h("code", { class: "error-code", id: "job-error-code" }, job.error.code),
          ` ${job.error.message}`,
          job.error.vendor_code ? ` (vendor ${job.error.vendor ?? ""} said ${job.error.vendor_code})` : "",
        )
      : [],
    row("Created", when(job.created_at)),
    row("Finished", when(job.finished_at)),
    job.batch_id
      ? row("Batch", h("a", { href: `#/batches/${job.batch_id}`, class: "mono" }, job.batch_id))
      : [],
    Object.keys(job.params).length ? row("Params", h("code", {}, JSON.stringify(job.params))) : [],
    Object.keys(job.metadata).length ? row("Metadata", h("code", {}, JSON.stringify(job.metadata))) : [],
  );
}

function outputSection(job: Job): HTMLElement {
  if (!job.output) return h("p", { class: "muted" }, job.erased_at ? "Erased." : "No output.");
  const o = job.output;
  return h(
    "dl",
    { class: "summary" },
    h("dt", {}, "Format"),
    h("dd", {}, `${o.content_type}, ${o.width} × ${o.height}, ${bytes(o.bytes)}`),
    h("dt", {}, "SHA-256"),
    h("dd", { class: "mono wrap" }, o.sha256),
    h("dt", {}, "Kept until"),
    h("dd", {}, when(o.retained_until)),
    h("dt", {}, "Download"),
    h(
      "dd",
      {},
      h(
        "a",
        { href: o.url, rel: "noopener", target: "_blank", id: "output-link" },
        "full-size result (link valid for a while)",
      ),
    ),
  );
}
