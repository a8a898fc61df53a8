import type { Readable } from "node:stream";
import { manifestFormat, manifestItems } from "@facegate/jobs";
import { CsvError } from "csv-parse";
import type { ApiContext } from "../context";
import { Problem } from "../problem";

/**
 * Count a stored manifest's rows, refusing a manifest that cannot work at all: a CSV without a
 * `target_url` column, no rows, more rows than a batch may hold. Bad rows are not refused here;
 * each becomes a failed item.
 */
export async function countManifest(ctx: ApiContext, key: string, maxItems: number): Promise<number> {
  const head = await readRange(ctx, key, 0, 64 * 1024 - 1);
  const format = manifestFormat(head);
  if (format === "csv") {
    const header =
      head
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/, 1)[0] ?? "";
    const columns = header.split(",").map((c) => c.trim().replace(/^"|"$/g, ""));
    if (!columns.includes("target_url")) {
      throw new Problem(
        422,
        "invalid_manifest",
        "a CSV manifest needs a `target_url` column (and may have `template_url`, `name`, `metadata.<key>`)",
      );
    }
  }
  let rows = 0;
  try {
    for await (const _ of manifestItems(format, (await ctx.store.getStream(key)) as Readable)) {
      if (++rows > maxItems)
        throw new Problem(413, "too_many_items", `the manifest has more than ${maxItems} rows`);
    }
  } catch (error) {
    if (error instanceof Problem) throw error;
    // csv-parse says what is wrong with the client's CSV; anything else is ours, not theirs to read.
    if (error instanceof CsvError) {
      throw new Problem(
        422,
        "invalid_manifest",
        `the manifest is not valid CSV: ${error.message.slice(0, 300)}`,
      );
    }
    throw error;
  }
  if (rows === 0) throw new Problem(422, "no_items", "the manifest has no rows");
  return rows;
}

async function readRange(ctx: ApiContext, key: string, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of await ctx.store.getStream(key, { start, end })) chunks.push(chunk as Buffer);
  } catch {
    // An empty object has no byte 0: the range request fails.
    return Buffer.alloc(0);
  }
  return Buffer.concat(chunks);
}
