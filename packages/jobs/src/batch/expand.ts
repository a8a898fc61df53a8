import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { type JobError, JobFailure, type StoredInput } from "@facegate/core";
import type { Egress } from "@facegate/egress";
import { EgressError } from "@facegate/egress";
import type { BatchState } from "@facegate/records";
import { keys } from "@facegate/storage";
import type { ZipFile } from "yauzl";
import { createJob } from "../create-job";
import { type DispatchDeps, vendorCandidates } from "../dispatch";
import { InputUnreachableError, ingestBuffer, ingestStream, ingestUrl } from "../ingest";
import { checkJobSpec, SpecError } from "../job-spec";
import type { Services } from "../services";
import { assertSomeVendorAccepts } from "../vendor-fit";
import { type ManifestItem, manifestFormat, manifestItems } from "./manifest";
import { ArchiveStorageError } from "./s3-block-reader";
import { classifyEntry, entryName, isSkipped, openEntry, openZip } from "./zip-source";

/** Items turned into jobs at once; each one streams its file to S3 and writes a record. */
const CONCURRENCY = 8;
const CANCEL_CHECK_EVERY = 25;

/** One source item on its way to becoming a job. */
interface SourceItem {
  index: number;
  name: string;
  /** Store the item's target under `key` (and its own template, if any); or say why it cannot run. */
  load(key: (role: string) => string): Promise<{
    target: StoredInput;
    template?: StoredInput;
    params?: Record<string, unknown>;
    metadata?: Record<string, string>;
  }>;
}

/**
 * The job id of a batch's item `index`: fixed, so an expansion that stopped (a crash, a restart)
 * picks up where it was, and items sort by position (the time part grows with the index).
 */
export function batchJobId(batch: Pick<BatchState, "id" | "createdAt">, index: number): string {
  const time = (batch.createdAt + index).toString(36).padStart(9, "0");
  const hash = createHash("sha256").update(`${batch.id}:${index}`).digest("hex").slice(0, 20);
  return `job_${time}${hash}`;
}

/**
 * Turn a batch's source into jobs: every item becomes a job (a failed one when its file or row
 * is unusable), at most CONCURRENCY at a time, and the batch is sealed at the end. Safe to run
 * again after a crash: items whose job exists are skipped.
 */
export async function expandBatch(
  services: DispatchDeps,
  egress: Egress,
  batchId: string,
): Promise<{ items: number }> {
  const batch = await services.batches.get(batchId);
  if (!batch || batch.sealed) return { items: 0 };
  if (!batch.startedAt) await services.batches.markStarted(batchId);

  const running = new Set<Promise<void>>();
  let count = 0;
  const canceled = () => services.batches.isCanceled(batchId);
  const source = await openSource(services, egress, batch);
  try {
    for await (const item of source.items) {
      if (count++ % CANCEL_CHECK_EVERY === 0 && (await canceled())) break;
      const task = createItem(services, batch, item).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= CONCURRENCY) await Promise.race(running);
    }
    await Promise.all(running);
  } finally {
    // Items still loading read from the source: let them finish before it closes.
    await Promise.allSettled(running);
    source.close();
  }
  await services.batches.seal(batchId);
  return { items: count };
}

async function createItem(services: DispatchDeps, batch: BatchState, item: SourceItem): Promise<void> {
  const id = batchJobId(batch, item.index);
  if (await services.records.exists(id)) return;
  const base = {
    id,
    tenant: batch.tenant,
    operation: batch.operation,
    vendor: batch.vendor,
    params: batch.params,
    metadata: batch.metadata,
    batchId: batch.id,
    item: { index: item.index, name: item.name },
    preflight: batch.preflight,
  };
  try {
    const loaded = await item.load((role) => keys.input(batch.tenant, id, role));
    const template = loaded.template ?? batch.template;
    const params = loaded.params
      ? checkJobSpec(
          services.config,
          batch.operation,
          batch.vendor,
          { target: true, template: Boolean(template), merges: false },
          { ...batch.params, ...loaded.params },
        )
      : batch.params;
    const inputs = { target: loaded.target, template };
    // An item no vendor able to do the batch can take fails at once, as a job would be refused.
    assertSomeVendorAccepts(
      vendorCandidates(services.config, batch.operation, batch.vendor),
      batch.operation,
      inputs,
    );
    await createJob(services, {
      ...base,
      params,
      metadata: { ...batch.metadata, ...loaded.metadata },
      inputs,
    });
  } catch (error) {
    const failure = itemFailure(error);
    if (!failure) throw error;
    await createJob(services, { ...base, inputs: {}, failure });
  }
}

/** Why an item cannot run, in the normalised codes; undefined for errors that are ours (retry). */
function itemFailure(error: unknown): JobError | undefined {
  if (error instanceof JobFailure && !error.retryable)
    return { code: error.code, message: error.message, retryable: false };
  if (error instanceof SpecError)
    return { code: "invalid_request", message: error.message, retryable: false };
  if (error instanceof ItemRefused) return { code: error.code, message: error.message, retryable: false };
  if (error instanceof InputUnreachableError || (error instanceof EgressError && !error.retryable)) {
    return {
      code: "invalid_request",
      message: `the image URL could not be used: ${error.message}`,
      retryable: false,
    };
  }
  if (error instanceof EgressError) {
    return {
      code: "invalid_request",
      message: `the image URL could not be fetched: ${error.message}`,
      retryable: false,
    };
  }
  return undefined;
}

class ItemRefused extends Error {
  constructor(
    readonly code: JobError["code"],
    message: string,
  ) {
    super(message);
  }
}

/** What reading items from S3 needs: the files, and the limits they are held to. */
type FileDeps = Pick<Services, "store" | "config">;
/** What opening any kind of source needs (a `targets` upload's items are in its batch record). */
type SourceDeps = FileDeps & Pick<Services, "batches">;

interface Source {
  items: AsyncIterable<SourceItem>;
  close(): void;
}

async function openSource(services: SourceDeps, egress: Egress, batch: BatchState): Promise<Source> {
  switch (batch.source) {
    case "targets":
      return { items: preparedItems(services, batch), close() {} };
    case "archive": {
      const zip = await openZip(services.store, batch.sourceKey!, batch.sourceBytes!);
      return { items: archiveItems(services, zip), close: () => zip.close() };
    }
    case "manifest":
    case "items":
      return { items: manifestSourceItems(services, egress, batch), close() {} };
  }
}

async function* preparedItems(
  services: Pick<Services, "batches">,
  batch: BatchState,
): AsyncGenerator<SourceItem> {
  for await (const prepared of services.batches.preparedItems(batch.id)) {
    yield {
      index: prepared.index,
      name: prepared.name,
      async load() {
        if (!prepared.input)
          throw new ItemRefused(
            prepared.error?.code ?? "invalid_image",
            prepared.error?.message ?? "unusable file",
          );
        return { target: prepared.input };
      },
    };
  }
}

async function* archiveItems(services: FileDeps, zip: ZipFile): AsyncGenerator<SourceItem> {
  const limits = itemLimits(services);
  let index = 0;
  for await (const entry of zip.eachEntry()) {
    if (isSkipped(entryName(entry))) continue;
    const item = classifyEntry(entry, {
      maxEntries: 0,
      maxUncompressedBytes: 0,
      maxEntryBytes: limits.maxBytes,
    });
    yield {
      index: index++,
      name: item.name,
      async load(key) {
        if (item.kind === "refused") throw new ItemRefused(item.code, item.reason);
        const stream = await openEntry(zip, item.entry);
        // Errors of the entry's own data (deflate, or more or fewer bytes than its header
        // declared: a zip bomb's trick) fail this item alone; storage errors are retried.
        let damaged = false;
        stream.on("error", (error) => {
          if (!(error instanceof ArchiveStorageError)) damaged = true;
        });
        try {
          return {
            target: await ingestStream(services.store, key("target"), stream, { ...limits, name: item.name }),
          };
        } catch (error) {
          if (damaged && !(error instanceof JobFailure))
            throw new ItemRefused("invalid_image", "the file in the archive is damaged");
          throw error;
        }
      },
    };
  }
}

async function* manifestSourceItems(
  services: FileDeps,
  egress: Egress,
  batch: BatchState,
): AsyncGenerator<SourceItem> {
  const limits = itemLimits(services);
  const head = await readHead(services, batch.sourceKey!);
  const source = await services.store.getStream(batch.sourceKey!);
  for await (const row of manifestItems(manifestFormat(head), source as Readable)) {
    yield manifestItem(services, egress, row, limits);
  }
}

function manifestItem(
  services: FileDeps,
  egress: Egress,
  row: ManifestItem,
  limits: ReturnType<typeof itemLimits>,
): SourceItem {
  return {
    index: row.index,
    name: row.name,
    async load(key) {
      if (!row.spec) throw new ItemRefused("invalid_request", row.error ?? "unusable row");
      const load = async (input: { url: string } | { base64: string }, role: string) =>
        "url" in input
          ? ingestUrl(services.store, egress, key(role), input.url, {
              ...limits,
              name: row.name,
              timeoutMs: 30_000,
            })
          : ingestBuffer(services.store, key(role), Buffer.from(input.base64, "base64"), {
              ...limits,
              name: row.name,
            });
      const target = await load(row.spec.inputs.target, "target");
      const template = row.spec.inputs.template
        ? await load(row.spec.inputs.template, "template")
        : undefined;
      return { target, template, params: row.spec.params, metadata: row.spec.metadata };
    },
  };
}

function itemLimits(services: Pick<Services, "config">) {
  return { maxBytes: services.config.api.maxImageBytes, maxPixels: services.config.api.maxImagePixels };
}

async function readHead(services: Pick<Services, "store">, key: string): Promise<Buffer> {
  const stream = await services.store.getStream(key, { start: 0, end: 255 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
