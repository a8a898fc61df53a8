import { PassThrough } from "node:stream";
import { type JobError, newId, type Operation, type StoredInput, type VendorId } from "@facegate/core";
import { createBatchBody, createBatchFields, metadataSchema } from "@facegate/core/api-schemas";
import { ImageError } from "@facegate/images";
import {
  ArchiveRefused,
  batchJobId,
  checkJobSpec,
  ingestBuffer,
  ingestStream,
  ingestUrl,
  inspectArchive,
  itemName,
} from "@facegate/jobs";
import type { BatchFields, PreparedItem } from "@facegate/records";
import { keys } from "@facegate/storage";
import type { Request } from "express";
import type { ApiContext } from "../context";
import { jsonField } from "../json-field";
import { type FilePart, readMultipart } from "../multipart";
import { Problem } from "../problem";
import { countManifest } from "./manifest-check";

export interface AcceptedBatch {
  fields: BatchFields;
  prepared: PreparedItem[];
}

const SOURCES = ["targets", "archive", "manifest"] as const;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Multipart POST /v1/batches: many `targets` files, or one `archive` (zip), or one `manifest`
 * (CSV or NDJSON), plus a shared `template`. Every part is streamed to S3 as it arrives; a
 * target that is not a usable image becomes a failed item, not a failed upload. What makes the
 * whole batch unusable is refused before anything is queued, and nothing it uploaded is kept.
 */
export async function acceptBatchMultipart(
  ctx: ApiContext,
  tenant: string,
  req: Request,
): Promise<AcceptedBatch> {
  const batch = { id: newId("bat"), createdAt: Date.now() };
  const { maxItems, maxArchiveBytes } = ctx.config.batches;
  const prepared: PreparedItem[] = [];
  const uploads: { archive?: number; manifest?: number; template?: StoredInput } = {};
  const limits = { maxBytes: ctx.config.api.maxImageBytes, maxPixels: ctx.config.api.maxImagePixels };

  const onFile = async ({ field, filename, stream }: FilePart) => {
    if (field === "targets") {
      const index = prepared.length;
      if (index >= maxItems) throw new Problem(413, "too_many_items", `at most ${maxItems} items per batch`);
      const name = itemName(filename, `item-${index + 1}`);
      try {
        const input = await ingestStream(
          ctx.store,
          keys.input(tenant, batchJobId(batch, index), "target"),
          stream,
          { ...limits, name },
        );
        prepared.push({ index, name, input });
      } catch (error) {
        if (!(error instanceof ImageError)) throw error;
        await drain(stream);
        prepared.push({
          index,
          name,
          error: { code: error.code, message: error.message, retryable: false } satisfies JobError,
        });
      }
      return;
    }
    if (field in uploads) throw new Problem(422, "validation_failed", `only one '${field}' file`);
    if (field === "template") {
      const key = keys.batchUpload(tenant, batch.id, "template");
      uploads.template = {
        ...(await ingestStream(ctx.store, key, stream, { ...limits, name: filename })),
        shared: true,
      };
      return;
    }
    const cap = field === "archive" ? maxArchiveBytes : MAX_MANIFEST_BYTES;
    const { bytes } = await ctx.store.upload(
      keys.batchUpload(tenant, batch.id, field),
      capped(stream, cap, field),
      {
        contentType: field === "archive" ? "application/zip" : "text/plain",
      },
    );
    uploads[field as "archive" | "manifest"] = bytes;
  };

  try {
    const { fields } = await readMultipart(
      req,
      {
        fileBytes: Math.max(maxArchiveBytes, ctx.config.api.maxImageBytes),
        files: maxItems + 2,
        fields: 10,
        fieldBytes: 20_000,
      },
      (field) => (SOURCES as readonly string[]).includes(field) || field === "template",
      onFile,
    );
    const parsed = createBatchFields.safeParse(fields);
    if (!parsed.success) throw Problem.validation(parsed.error);
    const f = parsed.data;
    const given = [
      prepared.length > 0 && "targets",
      uploads.archive !== undefined && "archive",
      uploads.manifest !== undefined && "manifest",
    ].filter(Boolean);
    if (given.length !== 1) {
      throw new Problem(
        422,
        "validation_failed",
        "send exactly one of: `targets` files, one `archive`, one `manifest`",
      );
    }
    const source = given[0] as "targets" | "archive" | "manifest";
    if (f.template_url && uploads.template)
      throw new Problem(422, "validation_failed", "send `template` or `template_url`, not both");
    if (f.template_url) {
      const key = keys.batchUpload(tenant, batch.id, "template");
      uploads.template = {
        ...(await ingestUrl(ctx.store, ctx.egress, key, f.template_url, { ...limits, timeoutMs: 30_000 })),
        shared: true,
      };
    }
    const params = checkJobSpec(
      ctx.config,
      f.operation,
      f.vendor as VendorId | "auto",
      { target: true, template: Boolean(uploads.template), merges: false },
      jsonField(f.params, "params"),
    );
    const metadata = metadataSchema.safeParse(jsonField(f.metadata, "metadata") ?? {});
    if (!metadata.success) throw Problem.validation(metadata.error, "metadata");
    if (f.webhook_url) await ctx.egress.check(f.webhook_url);

    const sourceKey = source === "targets" ? undefined : keys.batchUpload(tenant, batch.id, source);
    const sourceBytes =
      source === "archive" ? uploads.archive : source === "manifest" ? uploads.manifest : undefined;
    const expected = await countItems(ctx, source, sourceKey, sourceBytes, prepared.length);
    return {
      fields: {
        ...batch,
        tenant,
        operation: f.operation as Operation,
        vendor: f.vendor as VendorId | "auto",
        params,
        metadata: metadata.data,
        webhookUrl: f.webhook_url,
        preflight: f.preflight === "true",
        source,
        sourceKey,
        sourceBytes,
        expected,
        template: uploads.template,
      },
      prepared,
    };
  } catch (error) {
    await discardBatch(ctx, tenant, batch.id, prepared);
    throw error;
  }
}

/** JSON POST /v1/batches: `items[]` (inputs by URL or base64), kept as an NDJSON manifest. */
export async function acceptBatchJson(
  ctx: ApiContext,
  tenant: string,
  body: unknown,
): Promise<AcceptedBatch> {
  const parsed = createBatchBody.safeParse(body);
  if (!parsed.success) throw Problem.validation(parsed.error);
  const b = parsed.data;
  const { maxItems } = ctx.config.batches;
  if (b.items.length > maxItems)
    throw new Problem(413, "too_many_items", `at most ${maxItems} items per batch`);
  const batch = { id: newId("bat"), createdAt: Date.now() };
  const params = checkJobSpec(
    ctx.config,
    b.operation,
    b.vendor,
    { target: true, template: Boolean(b.template), merges: false },
    b.params,
  );
  if (b.webhook_url) await ctx.egress.check(b.webhook_url);
  const limits = { maxBytes: ctx.config.api.maxImageBytes, maxPixels: ctx.config.api.maxImagePixels };
  try {
    let template: StoredInput | undefined;
    if (b.template) {
      const key = keys.batchUpload(tenant, batch.id, "template");
      const stored =
        "url" in b.template
          ? await ingestUrl(ctx.store, ctx.egress, key, b.template.url, { ...limits, timeoutMs: 30_000 })
          : await ingestBuffer(ctx.store, key, Buffer.from(b.template.base64, "base64"), limits);
      template = { ...stored, shared: true };
    }
    const sourceKey = keys.batchUpload(tenant, batch.id, "items.ndjson");
    const ndjson = Buffer.from(`${b.items.map((item) => JSON.stringify(item)).join("\n")}\n`);
    await ctx.store.put(sourceKey, ndjson, { contentType: "application/x-ndjson" });
    return {
      fields: {
        ...batch,
        tenant,
        operation: b.operation,
        vendor: b.vendor,
        params,
        metadata: b.metadata,
        webhookUrl: b.webhook_url,
        preflight: b.preflight,
        source: "items",
        sourceKey,
        sourceBytes: ndjson.length,
        expected: b.items.length,
        template,
      },
      prepared: [],
    };
  } catch (error) {
    await discardBatch(ctx, tenant, batch.id, []);
    throw error;
  }
}

async function countItems(
  ctx: ApiContext,
  source: "targets" | "archive" | "manifest",
  key: string | undefined,
  bytes: number | undefined,
  targets: number,
): Promise<number> {
  const { maxItems, maxUnpackedBytes } = ctx.config.batches;
  if (source === "targets") return targets;
  if (source === "manifest") return countManifest(ctx, key!, maxItems);
  try {
    const summary = await inspectArchive(ctx.store, key!, bytes!, {
      maxItems,
      maxEntries: maxItems * 2 + 1_000,
      maxUncompressedBytes: maxUnpackedBytes,
      maxEntryBytes: ctx.config.api.maxImageBytes,
    });
    return summary.items;
  } catch (error) {
    if (error instanceof ArchiveRefused) {
      const status = error.code === "archive_too_large" || error.code === "too_many_items" ? 413 : 422;
      throw new Problem(status, error.code, error.message);
    }
    throw error;
  }
}

export async function discardBatch(
  ctx: ApiContext,
  tenant: string,
  batchId: string,
  prepared: PreparedItem[],
) {
  const inputs = prepared.flatMap((p) => (p.input ? [p.input.key] : []));
  await ctx.store.delete(inputs).catch(() => undefined);
  await ctx.store.deletePrefix(`batches/${tenant}/${batchId}`).catch(() => undefined);
}

function drain(stream: NodeJS.ReadableStream): Promise<void> {
  const readable = stream as NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean };
  if (readable.readableEnded || readable.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on("end", resolve);
    stream.on("error", () => resolve());
    stream.on("close", resolve);
    stream.resume();
  });
}

/** Pass a stream through, failing it past `cap` bytes (the upload then fails and is cleaned up). */
function capped(stream: NodeJS.ReadableStream, cap: number, field: string) {
  let seen = 0;
  const out = new PassThrough();
  stream.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > cap) {
      out.destroy(new Problem(413, "payload_too_large", `the ${field} is larger than ${cap} bytes`));
      stream.resume();
      return;
    }
    if (!out.write(chunk)) {
      stream.pause();
      out.once("drain", () => stream.resume());
    }
  });
  stream.on("end", () => out.end());
  stream.on("error", (error) => out.destroy(error as Error));
  return out;
}
