import {
  adminUsageQuery,
  budgetBody,
  budgetSchema,
  tenantListSchema,
  tenantParam,
  usageQuery,
  usageSchema,
} from "@facegate/core/api-schemas";
import { route } from "../route";

const USAGE_NOTE =
  "From the ledger of vendor calls (docs/usage-and-budgets.md): whole UTC days, grouped as asked. " +
  "Spend is a decimal string in the currency VENDOR_PRICES is given in.";

/** Usage (`apps/api/src/routes/usage.ts`, `admin-usage.ts`) and budgets. */
export const USAGE_ROUTES = [
  route({
    method: "get",
    path: "/v1/usage",
    operationId: "getUsage",
    summary: "Your vendor calls and spend",
    description: `${USAGE_NOTE} Rows: calls, billable calls, spend, rate-limited answers, median and p95 latency.`,
    tags: ["usage"],
    access: "api_key",
    query: usageQuery,
    responses: { 200: { description: "Usage by group, with the total.", json: usageSchema } },
    problems: [422],
  }),
  route({
    method: "get",
    path: "/v1/budget",
    operationId: "getOwnBudget",
    summary: "Your budget and what this period has used",
    description: "Set by the operator (PUT /v1/admin/tenants/{tenant}/budget); 404 when none is set.",
    tags: ["usage"],
    access: "api_key",
    responses: { 200: { description: "The budget.", json: budgetSchema } },
    problems: [404],
  }),
  route({
    method: "get",
    path: "/v1/admin/usage",
    operationId: "getAdminUsage",
    summary: "Every tenant's vendor calls and spend",
    description: `${USAGE_NOTE} Groups by tenant unless told otherwise.`,
    tags: ["admin"],
    access: "admin",
    query: adminUsageQuery,
    responses: { 200: { description: "Usage by group, with the total.", json: usageSchema } },
    problems: [403, 422],
  }),
  route({
    method: "get",
    path: "/v1/admin/tenants",
    operationId: "listTenants",
    summary: "Tenants with their open jobs, budget and spend this period",
    tags: ["admin"],
    access: "admin",
    responses: {
      200: { description: "Every tenant that has had a job, a call or a budget.", json: tenantListSchema },
    },
    problems: [403],
  }),
  route({
    method: "get",
    path: "/v1/admin/tenants/:tenant/budget",
    operationId: "getBudget",
    summary: "A tenant's budget and what this period has used",
    tags: ["admin"],
    access: "admin",
    params: tenantParam,
    responses: { 200: { description: "The budget.", json: budgetSchema } },
    problems: [403, 404],
  }),
  route({
    method: "put",
    path: "/v1/admin/tenants/:tenant/budget",
    operationId: "setBudget",
    summary: "Set a tenant's budget",
    description:
      "Each vendor call is reserved against the budget before it is sent, across every worker, so the budget is " +
      "never overshot; a job finding it spent fails with `budget_exhausted`, and POST /v1/jobs and /v1/batches " +
      "answer 402 `budget_exhausted`. `budget.threshold` (at `alert_at`) and `budget.exhausted` go to the " +
      "tenant's registered webhook endpoints.",
    tags: ["admin"],
    access: "admin",
    params: tenantParam,
    body: { json: budgetBody },
    responses: { 200: { description: "The budget as set.", json: budgetSchema } },
    problems: [400, 403, 413, 415, 422],
  }),
  route({
    method: "delete",
    path: "/v1/admin/tenants/:tenant/budget",
    operationId: "deleteBudget",
    summary: "Remove a tenant's budget",
    tags: ["admin"],
    access: "admin",
    params: tenantParam,
    responses: { 204: { description: "Removed." } },
    problems: [403, 404],
  }),
];
