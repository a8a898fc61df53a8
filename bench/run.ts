import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildDist } from "../scripts/build";
import type { Benchmark, BenchResult } from "./lib/result";

/**
 * `npm run bench`: run every `bench/*.bench.ts` (or those named on the command line), one after
 * another, and write the figures with the machine they ran on to docs/benchmarks.md.
 * Each benchmark measures its own baseline in the same run, so figures compare like with like.
 */
async function main() {
  const dir = import.meta.dirname;
  const only = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".bench.ts"))
    // A whole name (`latency`) picks that benchmark alone, not every file containing it.
    .filter((f) => only.length === 0 || only.some((o) => f === `${o}.bench.ts` || f.includes(o)))
    .filter((f, _, picked) => !only.some((o) => picked.includes(`${o}.bench.ts`) && f !== `${o}.bench.ts`))
    .sort();
  process.stdout.write("building dist/ …\n");
  await buildDist();
  const results: BenchResult[] = [];
  for (const file of files) {
    process.stdout.write(`\n▶ ${file}\n`);
    const started = Date.now();
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Benchmark };
    const result = await mod.default();
    results.push(result);
    for (const row of result.rows) {
      const verdict = row.pass === undefined ? "" : row.pass ? "  ✓" : "  ✗";
      process.stdout.write(
        `  ${row.metric}: ${row.value}${row.target ? ` (target ${row.target})` : ""}${verdict}\n`,
      );
    }
    for (const note of result.notes ?? []) process.stdout.write(`  · ${note}\n`);
    process.stdout.write(`  (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  if (only.length === 0) {
    const file = join(dir, "..", "docs", "benchmarks.md");
    writeFileSync(file, render(results));
    // Tables laid out as the project's formatter (biome, which `npm run lint` checks) wants them.
    execFileSync(join(dir, "..", "node_modules", ".bin", "biome"), ["format", "--write", file]);
  } else process.stdout.write("\n(subset run: docs/benchmarks.md left as it was)\n");
  process.exit(0);
}

function machine(): string {
  const cpu = cpus();
  const redis = (() => {
    try {
      return (
        execFileSync("redis-server", ["--version"])
          .toString()
          .match(/v=([\d.]+)/)?.[1] ?? "?"
      );
    } catch {
      return "?";
    }
  })();
  return [
    `- CPU: ${cpu[0]?.model ?? "unknown"} × ${cpu.length}`,
    `- Memory: ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `- Node.js ${process.version}, redis-server ${redis}, S3: s3rver (its own process)`,
  ].join("\n");
}

function render(results: BenchResult[]): string {
  const out = [
    "# Benchmarks",
    "",
    "Written by `npm run bench`; do not edit by hand. Every figure comes from the run below, and each",
    "benchmark measures its own baseline in that same run.",
    "",
    `Run on ${new Date().toISOString().slice(0, 10)}:`,
    "",
    machine(),
    "",
  ];
  for (const r of results) {
    out.push(`## ${r.name}`, "", r.description, "", "| metric | value | target | |", "|---|---|---|---|");
    for (const row of r.rows) {
      const verdict = row.pass === undefined ? "" : row.pass ? "✓" : "✗ missed";
      out.push(`| ${row.metric} | ${row.value} | ${row.target ?? ""} | ${verdict} |`);
    }
    if (r.notes?.length) out.push("", ...r.notes.map((n) => `- ${n}`));
    out.push("");
  }
  return `${out.join("\n")}\n`;
}

void main();
