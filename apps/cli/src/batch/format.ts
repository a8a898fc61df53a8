import type { Batch } from "@facegate/client";
import { formatDuration, formatTime, table } from "../output";
import type { Skipped } from "./collect";
import type { ManifestRow } from "./manifest";

/**
 * A batch for people (`batch get`, `batch cancel`):
 *
 *   bat_…  running  40% (4 of 10 finished)
 *     operation  face_fusion (vendor auto), from targets
 *     counts     3 queued, 3 running, 3 succeeded, 1 failed, 0 canceled
 *     created    2026-01-01 12:00:01  started 2026-01-01 12:00:01
 *     eta        12.0 s
 */
export function describeBatch(batch: Batch): string[] {
  const { counts } = batch;
  const finished = counts.succeeded + counts.failed + counts.canceled;
  const lines = [
    `${batch.id}  ${batch.status}  ${Math.round(batch.progress * 100)}% (${finished} of ${counts.total} finished)`,
  ];
  const field = (name: string, value: string) => lines.push(`  ${name.padEnd(9)}  ${value}`);
  field("operation", `${batch.operation} (vendor ${batch.vendor}), from ${batch.source}`);
  field(
    "counts",
    `${counts.queued} queued, ${counts.running} running, ${counts.succeeded} succeeded, ` +
      `${counts.failed} failed, ${counts.canceled} canceled`,
  );
  let times = formatTime(batch.created_at);
  if (batch.started_at) times += `  started ${formatTime(batch.started_at)}`;
  if (batch.completed_at) times += `  completed ${formatTime(batch.completed_at)}`;
  if (batch.canceled_at) times += `  canceled ${formatTime(batch.canceled_at)}`;
  field("created", times);
  if (batch.status !== "completed" && batch.estimated_seconds_left !== null) {
    field("eta", formatDuration(batch.estimated_seconds_left * 1000));
  }
  const metadata = Object.entries(batch.metadata);
  if (metadata.length > 0) field("metadata", metadata.map(([k, v]) => `${k}=${v}`).join(" "));
  if (batch.error) field("error", batch.error);
  return lines;
}

/** What `batch create` and `batch download` leave behind, for the summary and for --json. */
export interface BatchResult {
  batch: Batch;
  /** The folder the outputs were unpacked into. */
  out: string;
  /** The downloaded zip, kept beside them. */
  zip: string;
  /** Names unpacked into `out` (outputs and manifest.csv). */
  files: string[];
  /** Items that did not succeed, from manifest.csv. */
  failed: Omit<ManifestRow, "output_name">[];
  /** What in the folder was not sent, each with its reason. */
  skipped?: Skipped[];
}

/**
 *   bat_…  completed: 3 succeeded, 1 failed
 *   results in ./results: 3 images and manifest.csv (zip: ./results/bat_….zip)
 *   failed:
 *     NAME        STATUS  ERROR          JOB
 *     broken.jpg  failed  invalid_image  job_…
 */
export function summarise(result: BatchResult): string[] {
  const { batch, failed } = result;
  const { succeeded, canceled } = batch.counts;
  const counts = [`${succeeded} succeeded`, `${batch.counts.failed} failed`];
  if (canceled > 0) counts.push(`${canceled} canceled`);
  const images = result.files.filter((f) => f !== "manifest.csv").length;
  const lines = [
    `${batch.id}  ${batch.status}: ${counts.join(", ")}`,
    `results in ${result.out}: ${images} image${images === 1 ? "" : "s"} and manifest.csv (zip: ${result.zip})`,
  ];
  if (batch.status !== "completed")
    lines.push("the batch is still running: the zip holds what has finished so far");
  if (failed.length > 0) {
    lines.push("not succeeded:");
    const rows = failed.map((f) => [f.input_name, f.status, f.error_code || "-", f.job_id]);
    for (const line of table(["NAME", "STATUS", "ERROR", "JOB"], rows)) lines.push(`  ${line}`);
  }
  return lines;
}
