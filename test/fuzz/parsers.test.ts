import { Readable } from "node:stream";
import { jsonTooDeep, MAX_JSON_DEPTH, RESERVED_KEYS, reservedKeyPath } from "@facegate/core";
import { itemName, type ManifestItem, manifestFormat, manifestItems, urlFileName } from "@facegate/jobs";
import { CsvError } from "csv-parse";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../apps/api/src/batches/output-zip";
import { preferredWait } from "../../apps/api/src/jobs/prefer";
import { Problem } from "../../apps/api/src/problem";
import { jsonText, manifest, prefer, text, url } from "./generators";
import { FUZZ_TIMEOUT_MS, fuzzParams } from "./settings";

/*
 * Every parser facegate runs on client input, on its own: for any input it answers (a value, or
 * its own refusal), never throws something else, and what it lets through is safe to use.
 */

describe("parsers, for any input", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("itemName gives a plain base name", () => {
    fc.assert(
      fc.property(text(300), (raw) => {
        const name = itemName(raw, "item");
        expect(name.length).toBeLessThanOrEqual(120);
        expect(name).toMatch(/^[\w()][\w.() +-]*$/);
        expect(name).not.toMatch(/\.\.[/\\]|[/\\]/);
      }),
      fuzzParams(500),
    );
  });

  it("urlFileName never throws", () => {
    fc.assert(
      fc.property(url("http://127.0.0.1:1"), (u) => {
        expect(typeof urlFileName(u)).toBe("string");
      }),
      fuzzParams(500),
    );
  });

  it("jsonTooDeep agrees with the nesting JSON.parse sees", () => {
    const depthOf = (v: unknown): number => {
      let deepest = 0;
      const stack: [unknown, number][] = [[v, 0]];
      while (stack.length > 0) {
        const [value, depth] = stack.pop()!;
        if (value === null || typeof value !== "object") continue;
        deepest = Math.max(deepest, depth + 1);
        for (const child of Object.values(value)) stack.push([child, depth + 1]);
      }
      return deepest;
    };
    fc.assert(
      fc.property(jsonText, (json) => {
        expect(jsonTooDeep(json)).toBe(depthOf(JSON.parse(json)) > MAX_JSON_DEPTH);
      }),
      fuzzParams(300),
    );
  });

  it("reservedKeyPath finds every reserved key JSON.parse keeps", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(...RESERVED_KEYS), (value, key) => {
        const json = JSON.stringify({ wrap: value }).replace(/^\{/, `{"${key}":1,`);
        expect(reservedKeyPath(JSON.parse(json))).toBe(key);
        const clean = JSON.stringify(value);
        if (![...RESERVED_KEYS].some((k) => clean.includes(`"${k}"`)))
          expect(reservedKeyPath(value)).toBeUndefined();
      }),
      fuzzParams(300),
    );
  });

  it("manifests: every row or line becomes an item (or CSV's own refusal), names safe", async () => {
    await fc.assert(
      fc.asyncProperty(manifest("http://127.0.0.1:1"), async (body) => {
        const bytes = Buffer.from(body);
        const items: ManifestItem[] = [];
        try {
          for await (const item of manifestItems(manifestFormat(bytes), Readable.from([bytes])))
            items.push(item);
        } catch (error) {
          expect(error).toBeInstanceOf(CsvError);
          return;
        }
        for (const item of items) {
          expect(item.name).toMatch(/^[\w()][\w.() +-]*$/);
          expect(Boolean(item.spec) !== Boolean(item.error)).toBe(true);
          expect(item.error ?? "").not.toMatch(/Cannot read|TypeError|RangeError|is not a function/);
        }
      }),
      fuzzParams(200),
    );
  });

  it("manifest.csv cells never start a formula", () => {
    fc.assert(
      fc.property(text(60), (cell) => {
        const out = csvCell(cell);
        const unquoted = out.startsWith('"') ? out.slice(1) : out;
        expect(unquoted).not.toMatch(/^[=+\-@\t\r]/);
      }),
      fuzzParams(500),
    );
  });

  it("Prefer: a wait, nothing, or invalid_prefer_wait", () => {
    fc.assert(
      fc.property(prefer, (header) => {
        try {
          const wait = preferredWait(header, 60);
          if (wait !== undefined) expect(wait).toBeGreaterThanOrEqual(1);
        } catch (error) {
          expect(error).toBeInstanceOf(Problem);
          expect((error as Problem).code).toBe("invalid_prefer_wait");
        }
      }),
      fuzzParams(500),
    );
  });
});
