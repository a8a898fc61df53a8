import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { envSchema } from "@facegate/config";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("documents every environment variable facegate reads", () => {
    const missing = Object.keys(envSchema.shape).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("links only to files that exist", () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !existsSync(join(ROOT, link)))).toEqual([]);
  });

  it("uses example images that exist", () => {
    const files = [...readme.matchAll(/@(examples\/[\w.-]+)/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });
});

/** A table row's cells: split on `|`, except an escaped `\\|` (how a cell holds a pipe). */
const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/);

describe("the docs' tables", () => {
  it("have as many cells in every row as in their header (a stray | breaks a table)", () => {
    const files = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))].filter((f) =>
      f.endsWith(".md"),
    );
    const broken: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
      let width = 0;
      for (const [i, line] of lines.entries()) {
        if (!line.trimStart().startsWith("|")) {
          width = 0;
          continue;
        }
        if (width === 0) width = cells(line).length;
        else if (cells(line).length !== width) broken.push(`${file}:${i + 1}`);
      }
    }
    expect(files.length).toBeGreaterThan(3);
    expect(broken).toEqual([]);
  });
});
