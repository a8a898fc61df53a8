import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { type BatchItemSpec, batchItemSpec } from "@facegate/core/api-schemas";
import { parse } from "csv-parse";

/** One manifest row turned into an item, or the reason it cannot be one. */
export interface ManifestItem {
  index: number;
  name: string;
  spec?: BatchItemSpec | undefined;
  error?: string | undefined;
}

export type ManifestFormat = "csv" | "ndjson";

/** NDJSON when the first non-blank character opens a JSON object, CSV otherwise. */
export function manifestFormat(head: Buffer): ManifestFormat {
  const text = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  return text.startsWith("{") ? "ndjson" : "csv";
}

const urlName = (url: string, index: number) => {
  try {
    const base = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
    return base || `item-${index + 1}`;
  } catch {
    return `item-${index + 1}`;
  }
};

/**
 * Rows of a CSV manifest: a `target_url` column, optional `template_url`, `name` and
 * `metadata.<key>` columns. A bad row becomes an item with an error; the rest still run.
 */
export async function* csvItems(source: Readable): AsyncGenerator<ManifestItem> {
  const parser = source.pipe(
    parse({ columns: true, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }),
  );
  let index = 0;
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    const target = row.target_url;
    const name = row.name || (target ? urlName(target, index) : "") || `item-${index + 1}`;
    const metadata: Record<string, string> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith("metadata.") && value !== "") metadata[column.slice("metadata.".length)] = value;
    }
    const candidate = {
      inputs: {
        target: { url: target ?? "" },
        ...(row.template_url ? { template: { url: row.template_url } } : {}),
      },
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      name,
    };
    yield checked(index++, name, target ? candidate : undefined, "the row has no target_url");
  }
}

/** Lines of an NDJSON manifest (or of a JSON `items[]` body written as one): each a job spec. */
export async function* ndjsonItems(source: Readable): AsyncGenerator<ManifestItem> {
  const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  let index = 0;
  for await (const line of lines) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { index, name: `item-${index + 1}`, error: "the line is not valid JSON" };
      index++;
      continue;
    }
    const name =
      typeof (value as { name?: unknown }).name === "string"
        ? (value as { name: string }).name
        : `item-${index + 1}`;
    yield checked(index++, name, value, "");
  }
}

function checked(index: number, name: string, value: unknown, missing: string): ManifestItem {
  if (value === undefined) return { index, name, error: missing };
  const parsed = batchItemSpec.safeParse(value);
  if (parsed.success) return { index, name, spec: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { index, name, error: `${issue.path.join(".") || "item"}: ${issue.message}` };
}

export function manifestItems(format: ManifestFormat, source: Readable): AsyncGenerator<ManifestItem> {
  return format === "csv" ? csvItems(source) : ndjsonItems(source);
}
