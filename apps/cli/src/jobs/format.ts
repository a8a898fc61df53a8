import type { Job } from "@facegate/client";
import { formatBytes, formatDuration, formatTime, table } from "../output";

/**
 * A job for people: the id and status on the first line (what one scans for), then only the
 * fields that say something for this job.
 *
 *   job_…  failed
 *     operation  face_fusion (vendor ailab, requested auto), 1 attempt
 *     created    2026-01-01 12:00:01  finished 2026-01-01 12:00:02 (1.2 s)
 *     error      no_face_detected: no face found in the target (ailab code 1001)
 */
export function describeJob(job: Job): string[] {
  const lines = [`${job.id}  ${job.status}`];
  const field = (name: string, value: string) => lines.push(`  ${name.padEnd(9)}  ${value}`);
  const vendor =
    job.vendor.used && job.vendor.used !== job.vendor.requested
      ? `vendor ${job.vendor.used}, requested ${job.vendor.requested}`
      : `vendor ${job.vendor.used ?? job.vendor.requested}`;
  field("operation", `${job.operation} (${vendor}), ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}`);
  let times = formatTime(job.created_at);
  if (job.finished_at) times += `  finished ${formatTime(job.finished_at)}${took(job)}`;
  field("created", times);
  if (job.batch_id) field("batch", job.batch_id);
  const params = Object.entries(job.params);
  if (params.length > 0) field("params", params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" "));
  const metadata = Object.entries(job.metadata);
  if (metadata.length > 0) field("metadata", metadata.map(([k, v]) => `${k}=${v}`).join(" "));
  if (job.output) {
    const { content_type, width, height, bytes, expires_at } = job.output;
    const expires = expires_at ? ` (link expires ${formatTime(expires_at)})` : "";
    field("output", `${content_type} ${width}×${height}, ${formatBytes(bytes)}${expires}`);
  }
  if (job.error) field("error", describeError(job.error));
  if (job.erased_at) field("erased", formatTime(job.erased_at));
  return lines;
}

export function describeError(error: NonNullable<Job["error"]>): string {
  const vendor = error.vendor
    ? ` (${error.vendor}${error.vendor_code ? ` code ${error.vendor_code}` : ""})`
    : "";
  return `${error.code}: ${error.message}${vendor}`;
}

/** Jobs as a table, one per line, newest first as the API lists them. */
export function jobsTable(jobs: Job[]): string[] {
  return table(
    ["ID", "STATUS", "OPERATION", "VENDOR", "CREATED (UTC)", "RESULT"],
    jobs.map((job) => [
      job.id,
      job.status,
      job.operation,
      job.vendor.used ?? job.vendor.requested,
      formatTime(job.created_at),
      result(job),
    ]),
  );
}

function result(job: Job): string {
  if (job.error) return job.error.code;
  if (job.output) return `${job.output.width}×${job.output.height} ${formatBytes(job.output.bytes)}`;
  return job.batch_id ? `batch ${job.batch_id}` : "";
}

function took(job: Job): string {
  if (!job.created_at || !job.finished_at) return "";
  return ` (${formatDuration(Date.parse(job.finished_at) - Date.parse(job.created_at))})`;
}
