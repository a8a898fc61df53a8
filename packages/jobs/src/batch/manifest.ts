import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import {
  jsonTooDeep,
  MAX_JSON_DEPTH,
  RESERVED_KEY_MESSAGE,
  RESERVED_KEYS,
  reservedKeyPath,
} from "@facegate/core";
import { type BatchItemSpec, batchItemSpec } from "@facegate/core/api-schemas";
import { parse } from "csv-parse";
import { itemName, urlFileName } from "../item-name";

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
    const name = itemName(row.name || (target ? urlFileName(target) : ""), `item-${index + 1}`);
    const metadata: Record<string, string> = {};
    let reserved: string | undefined;
    for (const [column, value] of Object.entries(row)) {
      if (!column.startsWith("metadata.") || value === "") continue;
      const key = column.slice("metadata.".length);
      if (RESERVED_KEYS.has(key)) reserved ??= column;
      else metadata[key] = value;
    }
    if (reserved) {
      yield { index, name, error: `${reserved}: ${RESERVED_KEY_MESSAGE}` };
      index++;
      continue;
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
    if (jsonTooDeep(line)) {
      yield {
        index,
        name: `item-${index + 1}`,
        error: `the line nests more than ${MAX_JSON_DEPTH} levels deep`,
      };
      index++;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { index, name: `item-${index + 1}`, error: "the line is not valid JSON" };
      index++;
      continue;
    }
    const reserved = reservedKeyPath(value);
    if (reserved !== undefined) {
      yield { index, name: `item-${index + 1}`, error: `${reserved}: ${RESERVED_KEY_MESSAGE}` };
      index++;
      continue;
    }
    // Any JSON value may stand on a line (`null`, `3`, `[]`): only an object's `name` is read.
    const given =
      value !== null && typeof value === "object" ? (value as { name?: unknown }).name : undefined;
    const name = itemName(typeof given === "string" ? given : undefined, `item-${index + 1}`);
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
