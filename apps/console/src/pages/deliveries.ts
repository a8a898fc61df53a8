import { api } from "../api";
import { badge, h, notice, replace, when } from "../dom";
import type { Delivery } from "../types";

/**
 * A job's webhook deliveries with every attempt, and a replay button for each finished one
 * (the same webhook-id goes out again, one attempt). Redrawn until no delivery is pending.
 */
export function deliveriesSection(root: HTMLElement, jobId: string, signal: AbortSignal): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });

  async function load(message?: HTMLElement) {
    clearTimeout(timer);
    let list: { data: Delivery[] };
    try {
      list = await api<{ data: Delivery[] }>(`/v1/jobs/${jobId}/deliveries`, { signal });
    } catch (error) {
      if (!signal.aborted) replace(root, notice((error as Error).message));
      return;
    }
    if (signal.aborted) return;
    if (list.data.length === 0) {
      replace(
        root,
        h("p", { class: "muted" }, "No webhook for this job (no webhook_url and no endpoint subscribed)."),
      );
    } else {
      replace(root, message ?? "", ...list.data.map((d) => deliveryCard(d)));
    }
    if (list.data.some((d) => d.status === "pending")) timer = setTimeout(() => void load(), 1_000);
  }

  function deliveryCard(d: Delivery): HTMLElement {
    const replay = h(
      "button",
      {
        type: "button",
        class: "secondary replay",
        disabled: d.status === "pending",
        "data-delivery": d.id,
        onclick: async () => {
          replay.disabled = true;
          try {
            await api(`/v1/deliveries/${d.id}/retry`, { method: "POST" });
            await load(notice(`Replaying ${d.event}…`, "info"));
          } catch (error) {
            replay.disabled = false;
            replace(
              root,
              notice((error as Error).message),
              ...Array.from(root.querySelectorAll(".delivery")),
            );
          }
        },
      },
      "Replay",
    );
    return h(
      "article",
      { class: "delivery card", "data-delivery": d.id },
      h(
        "header",
        {},
        h("strong", {}, d.event),
        " ",
        badge(d.status),
        " ",
        h(
          "span",
          { class: "muted" },
          "webhook_url" in d.target ? "to the job's webhook_url" : `to endpoint ${d.target.endpoint_id}`,
        ),
        replay,
      ),
      h(
        "table",
        { class: "attempts" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["When", "HTTP status", "Time", "Result", "Kind"].map((c, i) =>
              h("th", { scope: "col", class: i === 1 || i === 2 ? "num" : "" }, c),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          d.attempts.map((a) =>
            h(
              "tr",
              { class: a.ok ? "ok" : "bad" },
              h("td", {}, when(a.at)),
              h("td", { class: "num" }, a.status ?? "—"),
              h("td", { class: "num" }, `${Math.round(a.latency_ms)} ms`),
              h("td", {}, a.ok ? "delivered" : (a.error ?? "failed")),
              h("td", {}, a.manual ? "replay" : "automatic"),
            ),
          ),
        ),
      ),
    );
  }

  void load();
}
