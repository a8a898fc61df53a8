import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXPRESSIONS } from "@facegate/core";
import { AIGS_ERRORS, AILAB_ERRORS, type Classification, TENCENT_ERRORS } from "@facegate/vendors";
import { describe, expect, it } from "vitest";

/**
 * docs/vendors.md is for users; its error tables must say what the adapters do. Each table sits
 * between `<!-- errors:<vendor> -->` markers, one row per vendor code: code, [HTTP,] kind, facegate
 * code. This test reads them back and compares them with the adapters' tables, both ways.
 */

const DOC = readFileSync(join(import.meta.dirname, "..", "..", "docs", "vendors.md"), "utf8");

function docTable(vendor: string): Map<string, Classification> {
  const open = `<!-- errors:${vendor} -->`;
  const close = `<!-- /errors:${vendor} -->`;
  const start = DOC.indexOf(open);
  const end = DOC.indexOf(close);
  expect(start, `docs/vendors.md has no ${open} table`).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  const rows = new Map<string, Classification>();
  for (const line of DOC.slice(start + open.length, end).split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const code = /^`([^`]+)`$/.exec(cells[0] ?? "")?.[1];
    if (!code || cells.length < 3) continue; // header, separator
    const kind = cells.at(-2)!;
    const normalised = /^`([^`]+)`$/.exec(cells.at(-1) ?? "")?.[1];
    expect(rows.has(code), `${code} appears twice in the ${vendor} table`).toBe(false);
    rows.set(code, { kind, code: normalised } as Classification);
  }
  return rows;
}

describe("docs/vendors.md error tables match the adapters", () => {
  it.each([
    ["ailab", AILAB_ERRORS],
    ["aigs", AIGS_ERRORS],
    ["tencent", TENCENT_ERRORS],
  ] as const)("%s", (vendor, table) => {
    const doc = docTable(vendor);
    const fromAdapter = Object.entries(table).map(([code, c]) => [code, { kind: c.kind, code: c.code }]);
    const fromDoc = [...doc.entries()].map(([code, c]) => [code, { kind: c.kind, code: c.code }]);
    expect(Object.fromEntries(fromDoc)).toEqual(Object.fromEntries(fromAdapter));
  });
});

describe("docs/vendors.md expression table", () => {
  it("lists every expression with its AILab service_choice", () => {
    const rows = [...DOC.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d+)\s*\|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(EXPRESSIONS);
  });
});
