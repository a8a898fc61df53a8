import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { Batch, FacegateClient } from "@facegate/client";
import { formatBytes, type Output } from "../output";
import type { BatchResult } from "./format";
import { readManifest } from "./manifest";
import { unzipFlat } from "./unzip";

/**
 * Fetch a batch's results into `dir`: the zip is streamed to `<dir>/<batch id>.zip` (kept, it is
 * what one archives or hands on), then unpacked flat beside it, outputs named after their inputs
 * plus manifest.csv. The failed items are read back from manifest.csv, the record of the zip.
 */
export async function downloadResults(
  client: FacegateClient,
  out: Output,
  batch: Batch,
  dir: string,
): Promise<BatchResult> {
  mkdirSync(dir, { recursive: true });
  const zip = join(dir, `${batch.id}.zip`);
  out.note(`downloading results to ${zip}`);
  const bytes = await client.saveBatchOutput(batch.id, zip);
  // An output named like the zip itself must not overwrite it while it is being read.
  const files = await unzipFlat(zip, dir, { reserved: [basename(zip)] });
  out.note(`unpacked ${files.length} files (${formatBytes(bytes)} zip) into ${dir}`);
  const failed = files.includes("manifest.csv")
    ? readManifest(join(dir, "manifest.csv"))
        .filter((row) => row.status === "failed" || row.status === "canceled")
        .map(({ output_name: _, ...row }) => row)
    : [];
  return { batch, out: dir, zip, files, failed };
}
