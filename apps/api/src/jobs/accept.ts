import { createHash } from "node:crypto";
import {
  type InputRole,
  type JobInputs,
  newId,
  type Operation,
  type StoredInput,
  type VendorId,
} from "@facegate/core";
import {
  assertSomeVendorAccepts,
  checkJobSpec,
  colourNeeded,
  ingestBuffer,
  ingestStream,
  ingestUrl,
  inputHolder,
  type NewJob,
  vendorCandidates,
} from "@facegate/jobs";
import { keys } from "@facegate/storage";
import type { Request } from "express";
import type { ApiContext } from "../context";
import { jsonField } from "../json-field";
import { readMultipart } from "../multipart";
import { Problem } from "../problem";
import { createJobBody, createJobFields, metadataSchema } from "./schemas";

/** A job request read and checked, its inputs already in S3. */
export interface AcceptedJob {
  spec: NewJob & { id: string };
  /** Fingerprint of the request for Idempotency-Key comparison (computed only when asked). */
  fingerprint: () => string;
}

const FILE_ROLES = new Set(["target", "template"]);

function ingestOptions(
  ctx: ApiContext,
  hold: ReturnType<typeof inputHolder>["hold"],
  name?: string,
  colour?: boolean,
) {
  return {
    maxBytes: ctx.config.api.maxImageBytes,
    maxPixels: ctx.config.api.maxImagePixels,
    name,
    colour,
    hold,
  };
}

const jobFields = createJobFields.pick({ operation: true, vendor: true });

/** Whether the job's vendors need the image in `role` in colour, from the fields read so far. */
function colourFromFields(ctx: ApiContext, fields: Readonly<Record<string, string>>, role: InputRole) {
  const job = jobFields.safeParse(fields);
  if (!job.success) return false; // not known yet: the worker looks
  const { operation, vendor } = job.data;
  return colourNeeded(vendorCandidates(ctx.config, operation, vendor as VendorId | "auto"), operation, role);
}

/**
 * JSON body: inputs by URL (fetched through the egress guard) or base64. `open` is the tenant's
 * count of unfinished jobs: below a few, the record holds the small inputs (`inputHolder`).
 */
export async function acceptJson(
  ctx: ApiContext,
  tenant: string,
  body: unknown,
  open: number,
): Promise<AcceptedJob> {
  const parsed = createJobBody.safeParse(body);
  if (!parsed.success) throw Problem.validation(parsed.error);
  const b = parsed.data;
  const params = checkJobSpec(
    ctx.config,
    b.operation,
    b.vendor,
    {
      target: Boolean(b.inputs.target),
      template: Boolean(b.inputs.template),
      merges: Boolean(b.inputs.merges),
    },
    b.params,
  );
  if (b.webhook_url) await ctx.egress.check(b.webhook_url);

  const id = newId("job");
  const stored: StoredInput[] = [];
  const candidates = vendorCandidates(ctx.config, b.operation, b.vendor);
  const { held, hold } = inputHolder(open);
  const ingest = async (input: { url: string } | { base64: string }, role: string, as: InputRole) => {
    const key = keys.input(tenant, id, role);
    const options = ingestOptions(ctx, hold, undefined, colourNeeded(candidates, b.operation, as));
    const result =
      "url" in input
        ? await ingestUrl(ctx.store, ctx.egress, key, input.url, { ...options, timeoutMs: 30_000 })
        : await ingestBuffer(ctx.store, key, decodeBase64(input.base64, role), options);
    return result;
  };
  try {
    // Stored side by side (the request waits on the slowest, not the sum). Every upload is
    // settled before anything is judged, so a failure discards all that were stored; `stored`
    // keeps the inputs' own order, which the idempotency fingerprint reads.
    const merges = b.inputs.merges ?? [];
    const settled = await Promise.allSettled([
      b.inputs.target ? ingest(b.inputs.target, "target", "target") : undefined,
      b.inputs.template ? ingest(b.inputs.template, "template", "template") : undefined,
      ...merges.map((m, i) => ingest(m.image, `merge-${i}`, "target")),
    ]);
    for (const s of settled) if (s.status === "fulfilled" && s.value) stored.push(s.value);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    const [target, template, ...images] = settled.map(
      (s) => (s as PromiseFulfilledResult<StoredInput>).value,
    );
    const inputs: JobInputs = {};
    if (target) inputs.target = target;
    if (template) inputs.template = template;
    if (b.inputs.merges) {
      inputs.merges = merges.map((m, i) => ({
        image: images[i]!,
        templateFaceId: m.template_face_id,
        inputFaceRect: m.input_face_rect,
      }));
    }
    assertSomeVendorAccepts(candidates, b.operation, inputs);
    return {
      spec: {
        id,
        tenant,
        operation: b.operation,
        vendor: b.vendor,
        params,
        inputs,
        metadata: b.metadata,
        webhookUrl: b.webhook_url,
        preflight: b.preflight,
        held,
      },
      fingerprint: () => fingerprintOf({ ...b, inputs: stored.map((s) => s.sha256) }),
    };
  } catch (error) {
    await discard(ctx, stored);
    throw error;
  }
}

/** Multipart body: files `target` and `template` streamed straight to S3; fields checked after. `open` as for `acceptJson`. */
export async function acceptMultipart(
  ctx: ApiContext,
  tenant: string,
  req: Request,
  open: number,
): Promise<AcceptedJob> {
  const id = newId("job");
  const { held, hold } = inputHolder(open);
  const stored: StoredInput[] = [];
  try {
    const { fields, files } = await readMultipart(
      req,
      { fileBytes: ctx.config.api.maxImageBytes, files: 2, fields: 10, fieldBytes: 20_000 },
      (field) => FILE_ROLES.has(field),
      async ({ field, filename, stream, fields }) => {
        if (stored.some((s) => s.key.endsWith(`/${field}`))) {
          throw new Problem(422, "validation_failed", `file '${field}' appears twice`);
        }
        const result = await ingestStream(
          ctx.store,
          keys.input(tenant, id, field),
          stream,
          ingestOptions(ctx, hold, filename, colourFromFields(ctx, fields, field as InputRole)),
        );
        stored.push(result);
        return result;
      },
    );
    const parsed = createJobFields.safeParse(fields);
    if (!parsed.success) throw Problem.validation(parsed.error);
    const f = parsed.data;
    const byRole = new Map(files.map((file) => [file.field, file.result]));
    const params = checkJobSpec(
      ctx.config,
      f.operation,
      f.vendor as VendorId | "auto",
      {
        target: byRole.has("target"),
        template: byRole.has("template"),
        merges: false,
      },
      jsonField(f.params, "params"),
    );
    const metadata = metadataSchema.safeParse(jsonField(f.metadata, "metadata") ?? {});
    if (!metadata.success) throw Problem.validation(metadata.error, "metadata");
    if (f.webhook_url) await ctx.egress.check(f.webhook_url);
    const inputs = { target: byRole.get("target"), template: byRole.get("template") };
    const vendor = f.vendor as VendorId | "auto";
    assertSomeVendorAccepts(
      vendorCandidates(ctx.config, f.operation as Operation, vendor),
      f.operation as Operation,
      inputs,
    );
    return {
      spec: {
        id,
        tenant,
        operation: f.operation as Operation,
        vendor: f.vendor as VendorId | "auto",
        params,
        inputs,
        metadata: metadata.data,
        webhookUrl: f.webhook_url,
        preflight: f.preflight === "true",
        held,
      },
      fingerprint: () =>
        fingerprintOf({ ...f, files: files.map((file) => [file.field, file.result.sha256]) }),
    };
  } catch (error) {
    await discard(ctx, stored);
    throw error;
  }
}

export async function discard(ctx: ApiContext, stored: StoredInput[]): Promise<void> {
  if (stored.length > 0) await ctx.store.delete(stored.map((s) => s.key)).catch(() => undefined);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, role: string): Buffer {
  const compact = text.replace(/^data:[\w/+.-]+;base64,/, "").replace(/\s+/g, "");
  if (compact.length === 0 || !BASE64.test(compact)) {
    throw new Problem(422, "validation_failed", `inputs.${role}.base64: not valid base64`, [
      { path: `inputs.${role}.base64`, message: "not valid base64" },
    ]);
  }
  return Buffer.from(compact, "base64");
}

function fingerprintOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}
