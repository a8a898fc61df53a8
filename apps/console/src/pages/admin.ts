import { ApiError, api, apiText } from "../api";
import { h, notice, replace, when } from "../dom";
import type { Page as ConsolePage } from "../router";
import type { ApiKey } from "../types";
import { budgetShare, budgetText, type TenantSummary } from "../usage-views";
import { rowsTable } from "./generic-table";

/** Every tenant: open jobs, this period's billable calls and spend, and its budget's gauge. */
function tenantsTable(list: TenantSummary[]): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { id: "tenants-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Tenant"),
          h("th", { scope: "col", class: "num" }, "Open jobs"),
          h("th", { scope: "col", class: "num" }, "Billable calls"),
          h("th", { scope: "col", class: "num" }, "Spend"),
          h("th", { scope: "col" }, "Budget"),
        ),
      ),
      h(
        "tbody",
        {},
        list.map((t) =>
          h(
            "tr",
            { "data-tenant": t.tenant },
            h("td", {}, t.tenant),
            h("td", { class: "num" }, t.open_jobs),
            h("td", { class: "num" }, t.billable_calls_this_period),
            h("td", { class: "num" }, t.spend_this_period),
            h(
              "td",
              {},
              t.budget
                ? [
                    h("meter", {
                      min: 0,
                      max: 1,
                      low: t.budget.alert_at ?? 0.8,
                      high: t.budget.alert_at ?? 0.8,
                      optimum: 0,
                      value: budgetShare(t.budget),
                      "aria-label": `budget of ${t.tenant} used`,
                    }),
                    h("small", { class: "muted" }, ` ${budgetText(t.budget)}`),
                  ]
                : h("span", { class: "muted" }, "none"),
            ),
          ),
        ),
      ),
    ),
  );
}

/** `facegate_queue_jobs{queue="…",state="…"} n` lines of /metrics, as queue → state → count. */
export function queueDepths(metrics: string): Map<string, Record<string, number>> {
  const queues = new Map<string, Record<string, number>>();
  for (const line of metrics.split("\n")) {
    const m = /^facegate_queue_jobs\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (!labels.queue || !labels.state) continue;
    const row = queues.get(labels.queue) ?? {};
    row[labels.state] = Number(m[2]);
    queues.set(labels.queue, row);
  }
  return queues;
}

/** With the admin key: tenants (when the API has them), API keys, queue health. */
export const adminPage: ConsolePage = async (root, _params, signal) => {
  const tenants = h("section", { id: "tenants" });
  const keys = h("div", { id: "keys" });
  const created = h("div", { "aria-live": "polite" });
  const queues = h("div", { id: "queues" });

  async function loadKeys() {
    try {
      const list = await api<{ data: ApiKey[] }>("/v1/admin/keys", { signal });
      replace(keys, keysTable(list.data));
    } catch (error) {
      if (!signal.aborted) replace(keys, notice((error as Error).message));
    }
  }

  function keysTable(list: ApiKey[]) {
    return h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Tenant", "Name", "Key starts", "Created", "Source", ""].map((c) =>
              h("th", { scope: "col" }, c),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          list.map((k) =>
            h(
              "tr",
              { "data-key": k.id },
              h("td", {}, k.tenant),
              h("td", {}, k.name),
              h("td", { class: "mono" }, `${k.prefix}…`),
              h("td", {}, when(k.created_at)),
              h("td", {}, k.source),
              h(
                "td",
                {},
                h(
                  "button",
                  {
                    type: "button",
                    class: "danger",
                    "aria-label": `Revoke ${k.name} of ${k.tenant}`,
                    onclick: async () => {
                      if (!confirm(`Revoke ${k.prefix}… of ${k.tenant}? It stops working at once.`)) return;
                      try {
                        await api(`/v1/admin/keys/${k.id}`, { method: "DELETE" });
                        replace(created, notice(`Revoked ${k.prefix}….`, "info"));
                      } catch (error) {
                        replace(created, notice((error as Error).message));
                      }
                      await loadKeys();
                    },
                  },
                  "Revoke",
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  const tenantInput = h("input", {
    id: "key-tenant",
    name: "tenant",
    required: true,
    pattern: "[A-Za-z0-9_.\\-]{1,64}",
  });
  const nameInput = h("input", { id: "key-name", name: "name", placeholder: "api" });
  const createForm = h(
    "form",
    {
      class: "row",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const key = await api<ApiKey & { key: string }>("/v1/admin/keys", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              tenant: tenantInput.value.trim(),
              ...(nameInput.value.trim() ? { name: nameInput.value.trim() } : {}),
            }),
          });
          replace(
            created,
            h(
              "div",
              { class: "notice notice-info", role: "status" },
              `New key for ${key.tenant} (shown once, copy it now): `,
              h("code", { id: "new-key", class: "mono wrap" }, key.key),
            ),
          );
          createForm.reset();
          await loadKeys();
        } catch (error) {
          replace(created, notice((error as Error).message));
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: "key-tenant" }, "Tenant"), tenantInput),
    h("div", { class: "field" }, h("label", { for: "key-name" }, "Name"), nameInput),
    h("button", { type: "submit" }, "Create key"),
  );

  replace(
    root,
    h("div", { class: "page-head" }, h("h1", {}, "Admin")),
    tenants,
    h("section", {}, h("h2", {}, "API keys"), createForm, created, keys),
    h(
      "section",
      {},
      h("h2", {}, "Queue health"),
      queues,
      h(
        "p",
        {},
        h("a", { href: "/admin/queues", target: "_blank", rel: "noopener" }, "Open the queue dashboard"),
        h("span", { class: "muted" }, " (the browser asks for the admin key as the password)."),
      ),
    ),
  );
  void loadKeys();
  try {
    const depths = queueDepths(await apiText("/metrics", { signal }));
    const states = ["waiting", "prioritized", "active", "delayed", "failed", "completed"];
    replace(
      queues,
      rowsTable(
        [...depths.entries()].map(([queue, counts]) => ({
          queue,
          ...Object.fromEntries(states.map((s) => [s, counts[s] ?? 0])),
        })),
        "queue-health",
      ),
    );
  } catch (error) {
    if (!signal.aborted) replace(queues, notice((error as Error).message));
  }
  try {
    const list = await api<{ data: TenantSummary[] }>("/v1/admin/tenants", { signal });
    replace(tenants, h("h2", {}, "Tenants"), tenantsTable(list.data));
  } catch (error) {
    // An API without the usage ledger has no such route: the section stays away.
    if (!(error instanceof ApiError) || error.status !== 404)
      replace(tenants, notice((error as Error).message));
  }
};
