import { z } from "zod";
import { tenantName } from "./keys";

/**
 * Request and response schemas of usage and budgets: `GET /v1/usage` (a tenant's own),
 * `GET /v1/admin/usage`, `GET /v1/admin/tenants` and `/v1/admin/tenants/{tenant}/budget`.
 * Amounts of money are decimal strings (exact), in the one currency VENDOR_PRICES is given in.
 */

export const USAGE_DIMENSIONS = ["vendor", "operation", "day", "outcome"] as const;
export const ADMIN_USAGE_DIMENSIONS = ["tenant", ...USAGE_DIMENSIONS] as const;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a UTC day, YYYY-MM-DD")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "not a calendar day");

const groupBy = <T extends readonly [string, ...string[]]>(dims: T) =>
  z
    .string()
    .transform((v) => v.split(",").map((s) => s.trim()))
    .pipe(z.array(z.enum(dims)).min(1).max(dims.length))
    .describe(`Comma-separated: ${dims.join(", ")}. Default: vendor.`);

export const usageQuery = z.strictObject({
  from: day.optional().describe("First UTC day (inclusive). Default: the first day of this month."),
  to: day.optional().describe("Last UTC day (inclusive). Default: today."),
  group_by: groupBy(USAGE_DIMENSIONS).optional(),
});

export const adminUsageQuery = usageQuery.extend({
  tenant: tenantName.optional().describe("Only this tenant; every tenant when absent."),
  group_by: groupBy(ADMIN_USAGE_DIMENSIONS).optional(),
});

const money = z.string().describe("An amount, decimal (e.g. `0.06`), in the currency of VENDOR_PRICES.");

export const usageRowSchema = z
  .object({
    tenant: z.string().optional(),
    vendor: z.string().optional(),
    operation: z.string().optional(),
    day: z.string().optional(),
    outcome: z
      .string()
      .optional()
      .describe(
        "`result`, the vendor's own error code, `timeout`, `network_error`, `canceled`, `error` or `interrupted`.",
      ),
    calls: z.number().int().describe("Vendor calls made."),
    billable_calls: z.number().int().describe("Calls the vendor answered with a result (what it bills)."),
    spend: money,
    rate_limited: z.number().int().describe("Rate-limit answers among the calls."),
    latency_ms: z
      .object({ p50: z.number().nullable(), p95: z.number().nullable() })
      .describe("Vendor latency (within 10 %); null without timed calls (interrupted ones)."),
  })
  .describe("Usage of one group.");

export const usageSchema = z.object({
  from: z.string(),
  to: z.string(),
  group_by: z.array(z.string()),
  data: z.array(usageRowSchema),
  total: usageRowSchema,
});

export const budgetBody = z
  .strictObject({
    period: z.enum(["day", "month"]).describe("UTC day or calendar month."),
    max_billable_calls: z.number().int().min(0).max(1e12).optional(),
    max_spend: z
      .union([z.string(), z.number()])
      .transform((v) => String(v))
      .pipe(z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, "a decimal amount with at most 6 decimals"))
      .optional()
      .describe('Decimal, as a string (`"25.50"`) or a number.'),
    alert_at: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe("Share of a maximum that sends `budget.threshold`."),
  })
  .refine((b) => b.max_billable_calls !== undefined || b.max_spend !== undefined, {
    message: "set max_billable_calls, max_spend or both",
  });

export const budgetSchema = z
  .object({
    tenant: z.string(),
    period: z.enum(["day", "month"]),
    period_key: z.string().describe("The current period: `YYYY-MM-DD` or `YYYY-MM`."),
    max_billable_calls: z.number().nullable(),
    max_spend: money.nullable(),
    alert_at: z.number().nullable(),
    billable_calls: z.number().describe("Counted this period, calls in flight included (reserved)."),
    spend: money,
    exhausted: z.boolean(),
  })
  .describe("A tenant's budget and what this period has used of it.");

export const tenantParam = z.object({ tenant: tenantName });

export const tenantSummarySchema = z.object({
  tenant: z.string(),
  open_jobs: z.number().int(),
  budget: budgetSchema.nullable(),
  spend_this_period: money.describe("This month's spend, or the budget's period's when it has one."),
  billable_calls_this_period: z.number().int(),
});

export const tenantListSchema = z.object({ data: z.array(tenantSummarySchema) });
