import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AilabEnvelope } from "../ailab/envelope";

/**
 * Plain HTTP clients for the AILab and ai-gs simulators as tests use them (fetch, no adapter
 * code), and a tiny file server for URL inputs.
 */

/** The envelope the simulator sends (see `ailab/envelope.ts`), with the image fields a test reads. */
export type AilabJson = Omit<AilabEnvelope, "data"> & { data: { image?: string; image_url?: string } };

export type AilabEndpoint = "face-fusion" | "emotion-editor" | "smart-face-slimming";

export async function postAilab(
  base: string,
  endpoint: AilabEndpoint,
  fields: Record<string, string | Buffer>,
  apiKey: string | null,
): Promise<{ status: number; json: AilabJson }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)]), `${name}.bin`);
  }
  const headers: Record<string, string> = apiKey === null ? {} : { "ailabapi-api-key": apiKey };
  const response = await fetch(`${base}/api/portrait/effects/${endpoint}`, {
    method: "POST",
    body: form,
    headers,
  });
  return { status: response.status, json: (await response.json()) as AilabJson };
}

export interface AigsJson {
  code: string;
  detail?: string;
  image_url?: string;
  task_id?: string;
}

export async function postAigs(
  base: string,
  token: string | null,
  body: unknown,
): Promise<{ status: number; json: AigsJson }> {
  const query = token === null ? "" : `?token=${encodeURIComponent(token)}`;
  const response = await fetch(`${base}/v1/faceswap${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as AigsJson };
}

export async function download(url: string): Promise<{ status: number; bytes: Buffer; contentType: string }> {
  const response = await fetch(url);
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get("content-type") ?? "",
  };
}

/** Serves fixed files at `/<name>`; anything else is 404. */
export async function fileServer(
  files: Record<string, Buffer>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const file = files[(req.url ?? "/").slice(1)];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
