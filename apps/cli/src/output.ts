/**
 * How commands print. Results go to stdout: one JSON document with `--json` (for `jq` and
 * scripts), short lines or a table otherwise. Progress and notes that are not the result go to
 * stderr when stdout is reserved for JSON.
 */
export interface Output {
  json: boolean;
  /** A line of the human result (ignored with --json). */
  line(text?: string): void;
  /** A note about progress: stdout for people, stderr under --json so stdout stays one document. */
  note(text: string): void;
  /** The machine result (ignored without --json). */
  document(value: unknown): void;
}

export function output(options: { json?: boolean | undefined }): Output {
  const json = options.json === true;
  return {
    json,
    line: (text = "") => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    note: (text) => (json ? process.stderr : process.stdout).write(`${text}\n`),
    document: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [format(header), ...rows.map(format)];
}

/** `1.2 MB`, `850 kB`, `12 B` (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `850 ms`, `12.4 s`, `3m 05s`, `2h 10m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

/** An API timestamp as `2026-01-01 12:00:01` (UTC, seconds): compact and sortable. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 19).replace("T", " ") : "-";
}
