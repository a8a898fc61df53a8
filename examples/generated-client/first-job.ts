import createClient from "openapi-fetch";
import type { paths } from "./facegate-api";

/**
 * The README's first job, a batch and both downloads, through a client generated from
 * `/openapi.json` (openapi-typescript + openapi-fetch) — no casts, no hand-written types.
 */

/**
 * openapi-fetch's `bodySerializer` for the multipart forms: strings as fields, files (Blob) as
 * parts, arrays as repeated parts. It is given the operation's body type (JSON or multipart).
 */
export function toFormData(body: object): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    for (const part of Array.isArray(value) ? value : [value]) {
      if (part instanceof Blob) form.append(name, part, `${name}.jpg`);
      else if (typeof part === "string") form.append(name, part);
      else if (part !== undefined) form.append(name, JSON.stringify(part));
    }
  }
  return form;
}

export async function run(baseUrl: string, apiKey: string, face: Blob, template: Blob) {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });

  // The first job: multipart upload, held until finished (at most 30 s).
  const created = await api.POST("/v1/jobs", {
    headers: { prefer: "wait=30" },
    body: { operation: "face_fusion", vendor: "ailab", target: face, template },
    bodySerializer: toFormData,
  });
  if (!created.data) throw new Error(`createJob: ${created.response.status} ${created.error?.code}`);
  const job = created.data;

  // Its output: the short-lived link as JSON, then the bytes (the link needs no API key).
  const link = await api.GET("/v1/jobs/{id}/output", {
    params: { path: { id: job.id } },
    headers: { accept: "application/json" },
  });
  if (!link.data) throw new Error(`getJobOutput: ${link.response.status} ${link.error?.code}`);
  const image = new Uint8Array(await (await fetch(link.data.url)).arrayBuffer());

  // The same job as JSON: vendor, params and metadata have defaults and may be left out.
  const base64 = Buffer.from(await face.arrayBuffer()).toString("base64");
  const queued = await api.POST("/v1/jobs", {
    body: { operation: "face_slimming", inputs: { target: { base64 } } },
  });
  if (!queued.data) throw new Error(`createJob (JSON): ${queued.response.status} ${queued.error?.code}`);

  // A batch: many target files and one template; poll until every item has finished.
  const accepted = await api.POST("/v1/batches", {
    body: { operation: "face_fusion", vendor: "ailab", targets: [face, face], template },
    bodySerializer: toFormData,
  });
  if (!accepted.data) throw new Error(`createBatch: ${accepted.response.status} ${accepted.error?.code}`);
  let batch = accepted.data;
  while (batch.status !== "completed") {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const polled = await api.GET("/v1/batches/{id}", { params: { path: { id: batch.id } } });
    if (!polled.data) throw new Error(`getBatch: ${polled.response.status} ${polled.error?.code}`);
    batch = polled.data;
  }
  const zip = await api.GET("/v1/batches/{id}/output", {
    params: { path: { id: batch.id } },
    parseAs: "arrayBuffer",
  });
  if (!zip.data) throw new Error(`getBatchOutput: ${zip.response.status} ${zip.error?.code}`);

  // Fields with defaults are optional in every request body, e.g. an endpoint's `events`.
  const endpoint: paths["/v1/webhook-endpoints"]["post"]["requestBody"]["content"]["application/json"] = {
    url: "https://example.com/hooks",
  };

  return { endpoint, job, image, queued: queued.data, batch, zip: new Uint8Array(zip.data) };
}
