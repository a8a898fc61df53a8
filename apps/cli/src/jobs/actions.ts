import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type CreateJobInput,
  type FacegateClient,
  isFinished,
  type Job,
  type JobList,
  type JobStatus,
  type Operation,
  type VendorChoice,
  WaitTimeoutError,
} from "@facegate/client";
import { cliClient } from "../client";
import { CliError, EXIT } from "../errors";
import { buildMetadata, buildParams, imageSource } from "../inputs";
import { type Output, output } from "../output";
import { describeJob, jobsTable } from "./format";

export interface CreateOptions {
  operation: Operation;
  vendor: VendorChoice;
  target: string;
  template?: string;
  param?: string[];
  paramsJson?: string;
  metadata?: string[];
  webhookUrl?: string;
  idempotencyKey?: string;
  wait?: number | true;
  out?: string;
  json?: boolean;
}

export interface ListOptions {
  status?: JobStatus;
  batch?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

/** How long `--wait` (or `--out` alone) waits when given no number. */
const DEFAULT_WAIT_S = 300;

export async function createJob(options: CreateOptions): Promise<void> {
  const out = output(options);
  // Read every argument before the first request: a typo must not leave a job behind.
  const input: CreateJobInput = {
    operation: options.operation,
    vendor: options.vendor,
    inputs: {
      target: imageSource(options.target, "--target"),
      template: options.template === undefined ? undefined : imageSource(options.template, "--template"),
    },
    params: buildParams(options.param, options.paramsJson),
    metadata: buildMetadata(options.metadata),
    webhookUrl: options.webhookUrl,
  };
  const client = cliClient();
  const wait = options.wait ?? (options.out === undefined ? undefined : true);
  if (wait === undefined) {
    const job = await client.createJob(input, { idempotencyKey: options.idempotencyKey });
    show(out, job);
    out.line(`follow it with: facegate jobs get ${job.id}`);
    return;
  }
  const waitS = wait === true ? DEFAULT_WAIT_S : wait;
  let job: Job;
  try {
    job = await client.runJob(input, { timeoutMs: waitS * 1000, idempotencyKey: options.idempotencyKey });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    show(out, error.job);
    throw new CliError(
      `job ${error.job.id} is still ${error.job.status} after ${waitS} s; follow it with: facegate jobs get ${error.job.id}`,
      EXIT.failed,
    );
  }
  await finish(client, out, job, options.out);
}

export async function getJob(id: string, options: { out?: string; json?: boolean }): Promise<void> {
  const out = output(options);
  const client = cliClient();
  const job = await client.getJob(id);
  if (options.out === undefined) {
    show(out, job);
    return;
  }
  if (!isFinished(job)) {
    show(out, job);
    throw new CliError(`job ${id} is still ${job.status}: no output to save yet`, EXIT.failed);
  }
  await finish(client, out, job, options.out);
}

export async function listJobs(options: ListOptions): Promise<void> {
  const out = output(options);
  const client = cliClient();
  const query = { status: options.status, batch_id: options.batch, cursor: options.cursor };
  let page: JobList;
  if (options.all) {
    const data: Job[] = [];
    for await (const job of client.jobs({ ...query, limit: options.limit ?? 200 })) data.push(job);
    page = { data, next_cursor: null };
  } else {
    page = await client.listJobs({ ...query, limit: options.limit ?? 20 });
  }
  out.document(page);
  if (page.data.length === 0) {
    out.line("no jobs");
    return;
  }
  for (const line of jobsTable(page.data)) out.line(line);
  if (page.next_cursor) out.line(`more: facegate jobs list --cursor ${page.next_cursor} (or --all)`);
}

export async function cancelJob(id: string, options: { json?: boolean }): Promise<void> {
  const out = output(options);
  const job = await cliClient().cancelJob(id);
  show(out, job);
}

/**
 * A job in its final state: save its output when asked, print it, and exit 1 unless it
 * succeeded, so `facegate jobs create … --wait && next-step` does what it reads as.
 */
async function finish(client: FacegateClient, out: Output, job: Job, saveTo: string | undefined) {
  let saved: string | undefined;
  if (job.status === "succeeded" && saveTo !== undefined) {
    const { bytes, contentType } = await client.getOutput(job.id);
    saved = destination(saveTo, job.id, contentType);
    mkdirSync(dirname(saved), { recursive: true });
    writeFileSync(saved, bytes);
  }
  show(out, job);
  if (saved) out.line(`saved ${saved}`);
  if (job.status !== "succeeded") {
    const why = job.error ? ` (${job.error.code})` : "";
    throw new CliError(`job ${job.id} ${job.status}${why}`, EXIT.failed);
  }
}

function show(out: Output, job: Job) {
  out.document(job);
  for (const line of describeJob(job)) out.line(line);
}

/** `--out result.jpg` as given; `--out ./results` (a directory) gets `<job id>.<ext>` in it. */
function destination(saveTo: string, jobId: string, contentType: string): string {
  let isDirectory = saveTo.endsWith("/");
  try {
    isDirectory ||= statSync(saveTo).isDirectory();
  } catch {
    // Not there yet: a file path.
  }
  const ext = contentType === "image/png" ? "png" : contentType === "image/webp" ? "webp" : "jpg";
  return isDirectory ? join(saveTo, `${jobId}.${ext}`) : saveTo;
}
