import type { Batch, CreateBatchInput, FacegateClient, Operation, VendorChoice } from "@facegate/client";
import { cliClient } from "../client";
import { CliError, EXIT, usageError } from "../errors";
import { buildMetadata, buildParams, imageSource } from "../inputs";
import { formatBytes, type Output, output } from "../output";
import { collectBatchSource, describeSkipped, type Skipped } from "./collect";
import { type BatchResult, describeBatch, summarise } from "./format";
import { batchProgress, uploadProgress } from "./progress";
import { downloadResults } from "./results";

export interface CreateOptions {
  template?: string;
  operation: Operation;
  vendor: VendorChoice;
  param?: string[];
  paramsJson?: string;
  metadata?: string[];
  webhookUrl?: string;
  idempotencyKey?: string;
  recursive?: boolean;
  out?: string;
  wait: boolean;
  json?: boolean;
}

/** Thousands of photos take a while to send: the upload may run this long. */
const UPLOAD_TIMEOUT_MS = 6 * 3_600_000;
/** Following a batch ends when it completes (or on Ctrl-C), not on a timer. */
const FOLLOW_TIMEOUT_MS = 30 * 24 * 3_600_000;

/** `batch create`: upload, follow, download and unpack, summarise. */
export async function createBatch(path: string, options: CreateOptions): Promise<void> {
  const out = output(options);
  if (options.wait && options.out === undefined) {
    throw usageError("give --out <dir> for the results (or --no-wait to only create the batch)");
  }
  // Read every argument before the first byte is sent: a typo must not leave a batch behind.
  const source = collectBatchSource(path, { recursive: options.recursive });
  const input: CreateBatchInput = {
    operation: options.operation,
    vendor: options.vendor,
    template: options.template === undefined ? undefined : imageSource(options.template, "--template"),
    params: buildParams(options.param, options.paramsJson),
    metadata: buildMetadata(options.metadata),
    webhookUrl: options.webhookUrl,
    ...(source.kind === "archive"
      ? { archive: { file: source.file } }
      : { targets: source.files.map((file) => ({ file })) }),
  };
  const client = cliClient();
  const tty = Boolean(process.stdout.isTTY) && !out.json;

  let skipped: Skipped[] | undefined;
  if (source.kind === "targets") {
    skipped = source.skipped;
    out.note(`sending ${source.files.length} photos (${formatBytes(source.bytes)}) from ${path}`);
    if (skipped.length > 0) out.note(`skipping ${describeSkipped(skipped)}`);
  } else {
    out.note(`sending ${path} (${formatBytes(source.bytes)})`);
  }

  const upload = uploadProgress(out, tty);
  const stopUpload = onInterrupt(
    () => upload.stop(false),
    "the upload was stopped, and facegate keeps nothing of an unfinished upload",
  );
  let batch: Batch;
  try {
    batch = await client.createBatch(input, {
      idempotencyKey: options.idempotencyKey,
      timeoutMs: UPLOAD_TIMEOUT_MS,
      onUploadProgress: (sent, total) => upload.update({ sent, total }),
    });
    upload.stop(true);
  } catch (error) {
    upload.stop(false);
    throw error;
  } finally {
    stopUpload();
  }
  out.note(`created ${batch.id} with ${batch.counts.total} items`);

  if (!options.wait) {
    show(out, batch);
    out.line(`follow it with: facegate batch get ${batch.id}`);
    return;
  }
  const done = await follow(client, out, batch, tty);
  const result = await downloadResults(client, out, done, options.out!);
  report(out, { ...result, skipped });
}

export async function getBatch(id: string, options: { json?: boolean }): Promise<void> {
  show(output(options), await cliClient().getBatch(id));
}

export async function cancelBatch(id: string, options: { json?: boolean }): Promise<void> {
  show(output(options), await cliClient().cancelBatch(id));
}

export async function downloadBatch(id: string, options: { out: string; json?: boolean }): Promise<void> {
  const out = output(options);
  const client = cliClient();
  const batch = await client.getBatch(id);
  report(out, await downloadResults(client, out, batch, options.out));
}

/** Poll until the batch completes, with a bar (or lines) of items done, failed and the ETA. */
async function follow(client: FacegateClient, out: Output, batch: Batch, tty: boolean): Promise<Batch> {
  const progress = batchProgress(out, tty);
  const stop = onInterrupt(
    () => progress.stop(false),
    `the batch goes on without you: facegate batch get ${batch.id}, then facegate batch download ${batch.id} --out <dir>`,
  );
  try {
    const done = await client.waitForBatch(batch.id, {
      timeoutMs: FOLLOW_TIMEOUT_MS,
      pollIntervalMs: 500,
      maxPollIntervalMs: 2_000,
      onProgress: (b) => progress.update(b),
    });
    progress.stop(true);
    return done;
  } catch (error) {
    progress.stop(false);
    throw error;
  } finally {
    stop();
  }
}

/** The summary; exit 1 when any item failed or was canceled, so scripts notice. */
function report(out: Output, result: BatchResult) {
  out.document(result);
  for (const line of summarise(result)) out.line(line);
  if (result.failed.length > 0) {
    throw new CliError(
      `${result.failed.length} of ${result.batch.counts.total} items did not succeed`,
      EXIT.failed,
    );
  }
}

function show(out: Output, batch: Batch) {
  out.document(batch);
  for (const line of describeBatch(batch)) out.line(line);
}

/**
 * Ctrl-C while a bar is drawn: close the bar (it hid the cursor), say what became of the work,
 * exit 130 as shells expect. Returns the function that removes the handler again.
 */
function onInterrupt(cleanup: () => void, message: string): () => void {
  const handler = () => {
    cleanup();
    process.stderr.write(`\ninterrupted: ${message}\n`);
    process.exit(130);
  };
  process.once("SIGINT", handler);
  return () => process.off("SIGINT", handler);
}
