import sharp from "sharp";

/**
 * Test portraits: a face the simulator recognises (not uniform, in colour), in different hues
 * so each job's target is distinct (the simulator logs the SHA-256 of each target).
 */
export async function face(
  hue = 30,
  options: { width?: number; height?: number; format?: "jpeg" | "png" } = {},
) {
  const { syntheticFace } = await import("@facegate/vendor-sim");
  return syntheticFace({
    hue,
    width: options.width ?? 400,
    height: options.height ?? 500,
    format: options.format ?? "jpeg",
  });
}

/** A uniform, coloured image: the simulators find no face in it. */
export function blank(width = 400, height = 400): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 150, b: 120 } } })
    .jpeg()
    .toBuffer();
}

export function form(
  fields: Record<string, string>,
  files: Record<string, Buffer | { bytes: Buffer; name: string }>,
): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const [k, v] of Object.entries(files)) {
    const { bytes, name } = Buffer.isBuffer(v) ? { bytes: v, name: `${k}.jpg` } : v;
    body.set(k, new Blob([new Uint8Array(bytes)]), name);
  }
  return body;
}

/** A multipart body of fields and named files, some under the same field (a batch's `targets`). */
export function batchForm(fields: Record<string, string>, files: [string, Buffer, string][]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [field, bytes, name] of files) form.append(field, new Blob([new Uint8Array(bytes)]), name);
  return form;
}

/** Poll a job until it is final (or the time runs out). */
export async function waitForFinal(
  api: (path: string) => Promise<Response>,
  id: string,
  timeoutMs = 20_000,
): Promise<Record<string, unknown> & { status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await api(`/v1/jobs/${id}`)).json()) as Record<string, unknown> & { status: string };
    if (["succeeded", "failed", "canceled"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
