import { isUpload, toBlob, toJsonImage } from "./inputs";
import type { CreateBatchInput, CreateJobBody, CreateJobInput, ImageSource } from "./types";

/** Multipart when every image is a file or bytes (streamed, no base64 overhead); JSON otherwise. */
export async function jobBody(input: CreateJobInput): Promise<NonNullable<RequestInit["body"]>> {
  const given = [input.inputs.target, input.inputs.template].filter((s) => s !== undefined);
  if (!input.inputs.merges && given.length > 0 && given.every(isUpload)) {
    const form = commonFields(input);
    if (input.inputs.target) await appendFile(form, "target", input.inputs.target, "target.jpg");
    if (input.inputs.template) await appendFile(form, "template", input.inputs.template, "template.jpg");
    return form;
  }
  const body: CreateJobBody = {
    operation: input.operation,
    vendor: input.vendor,
    inputs: {
      target: input.inputs.target && (await toJsonImage(input.inputs.target)),
      template: input.inputs.template && (await toJsonImage(input.inputs.template)),
      merges:
        input.inputs.merges &&
        (await Promise.all(
          input.inputs.merges.map(async (m) => ({ ...m, image: await toJsonImage(m.image) })),
        )),
    },
    params: input.params,
    webhook_url: input.webhookUrl,
    metadata: input.metadata,
  };
  return new Blob([JSON.stringify(body)], { type: "application/json" });
}

/** A multipart body with the fields a job and a batch share. */
function commonFields(input: CreateJobInput | CreateBatchInput): FormData {
  const form = new FormData();
  form.set("operation", input.operation);
  if (input.vendor) form.set("vendor", input.vendor);
  if (input.params) form.set("params", JSON.stringify(input.params));
  if (input.metadata) form.set("metadata", JSON.stringify(input.metadata));
  if (input.webhookUrl) form.set("webhook_url", input.webhookUrl);
  return form;
}

async function appendFile(form: FormData, field: string, source: ImageSource, fallbackName: string) {
  const { blob, name } = await toBlob(source, fallbackName);
  form.append(field, blob, name);
}

/** `POST /v1/batches`: multipart, files streamed from disk; a template URL goes as `template_url`. */
export async function batchBody(input: CreateBatchInput): Promise<FormData> {
  const form = commonFields(input);
  if (input.template && "url" in input.template) form.set("template_url", input.template.url);
  else if (input.template) await appendFile(form, "template", input.template, "template.jpg");
  if (input.archive) await appendFile(form, "archive", input.archive, "archive.zip");
  for (const [i, target] of (input.targets ?? []).entries()) {
    await appendFile(form, "targets", target, `target-${i + 1}.jpg`);
  }
  return form;
}
