import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";

/** One row of a batch zip's `manifest.csv`: what became of one input. */
export interface ManifestRow {
  input_name: string;
  job_id: string;
  status: string;
  error_code: string;
  output_name: string;
}

const COLUMNS = ["input_name", "job_id", "status", "error_code", "output_name"] as const;

/**
 * Read `manifest.csv` as facegate writes it. A cell that would start a spreadsheet formula is
 * stored with a leading `'`; it is taken off again here, so names print as they were uploaded.
 */
export function readManifest(path: string): ManifestRow[] {
  const records = parse(readFileSync(path, "utf8"), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  }) as Record<string, string>[];
  return records.map((record) => {
    const row = {} as ManifestRow;
    for (const column of COLUMNS) row[column] = unneutralise(record[column] ?? "");
    return row;
  });
}

function unneutralise(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}
