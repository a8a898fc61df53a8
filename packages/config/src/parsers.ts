import { parseMoney } from "@facegate/core";
import { z } from "zod";

/** "true"/"1"/"yes" → true, "false"/"0"/"no" → false; anything else is a validation error. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false", "1", "0", "yes", "no"]))
  .transform((v) => v === "true" || v === "1" || v === "yes");

export const envInt = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);

export const envNumber = (min: number, max = Number.MAX_VALUE) => z.coerce.number().min(min).max(max);

/** Comma-separated list; empty items dropped. */
export const envList = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Comma-separated `host:port` items (Redis Cluster nodes, sentinels). */
export const envHostPorts = envList.transform((items, ctx) => {
  const out: { host: string; port: number }[] = [];
  for (const item of items) {
    const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(item);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65_535) {
      ctx.addIssue({ code: "custom", message: `"${item}" is not host:port` });
      return z.NEVER;
    }
    out.push({ host: m[1]!.replace(/^\[|\]$/g, ""), port });
  }
  return out;
});

export const envUrl = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/ }));

/** Comma-separated durations in milliseconds, or with a unit: `0,5s,5m,2h`. */
export const envDurations = envList.transform((items, ctx) => {
  const out: number[] = [];
  for (const item of items) {
    const ms = parseDuration(item);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `"${item}" is not a duration (e.g. 500, 5s, 5m, 2h)` });
      return z.NEVER;
    }
    out.push(ms);
  }
  return out;
});

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? "ms"]!);
}

/** `vendor.operation=amount,…` (e.g. `ailab.face_fusion=0.02`) to micro-units per billable call. */
export const envPrices = envList.transform((items, ctx) => {
  const out: Record<string, number> = {};
  for (const item of items) {
    const m = /^([a-z]+)\.([a-z_]+)=(.+)$/.exec(item);
    const micros = m ? parseMoney(m[3]!) : undefined;
    if (!m || micros === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `"${item}" is not vendor.operation=amount (e.g. ailab.face_fusion=0.02, at most 6 decimals)`,
      });
      return z.NEVER;
    }
    out[`${m[1]}.${m[2]}`] = micros;
  }
  return out;
});
