/**
 * Money is kept as integer micro-units (millionths of the one currency prices are given in), so
 * sums of prices are exact; decimal text is only for people and the API.
 */
export const MICROS_PER_UNIT = 1_000_000;

/** A non-negative decimal amount ("0.02", "15", "0.000125") to micro-units, exactly; undefined if not one. */
export function parseMoney(text: string): number | undefined {
  const m = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * MICROS_PER_UNIT + Number((m[2] ?? "").padEnd(6, "0"));
}

/** Micro-units as decimal text without trailing zeros: 20000 → "0.02", 3000000 → "3". */
export function formatMoney(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(Math.round(micros));
  const units = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return `${sign}${units}${fraction ? `.${fraction}` : ""}`;
}
