import busboy from "busboy";

/**
 * multipart/form-data parsing for AILab's endpoints, from an already-read (size-capped) body.
 * Problems are reported, not thrown, so the route can answer with AILab's own codes.
 */

export interface UploadedFile {
  bytes: Buffer;
  filename: string;
  mimeType: string;
}

export type MultipartResult =
  | {
      ok: true;
      fields: Map<string, string>;
      files: Map<string, UploadedFile>;
      /** A file field sent more than once (AILab takes one file per field). */
      repeatedFile?: string;
    }
  | { ok: false; reason: "not_multipart" | "malformed" };

const MAX_FIELDS = 50;
const MAX_FILES = 10;
const MAX_FIELD_BYTES = 64 * 1024;

export function parseMultipart(body: Buffer, contentType: string | undefined): Promise<MultipartResult> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) {
    return Promise.resolve({ ok: false, reason: "not_multipart" });
  }
  return new Promise((resolve) => {
    const fields = new Map<string, string>();
    const files = new Map<string, UploadedFile>();
    let repeatedFile: string | undefined;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        limits: { fields: MAX_FIELDS, files: MAX_FILES, fieldSize: MAX_FIELD_BYTES },
      });
    } catch {
      resolve({ ok: false, reason: "malformed" });
      return;
    }
    parser.on("field", (name, value) => {
      if (!fields.has(name)) fields.set(name, value);
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      // A body that ends inside this part fails the part's stream too (the parser says malformed).
      stream.on("error", () => resolve({ ok: false, reason: "malformed" }));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (files.has(name)) repeatedFile ??= name;
        else
          files.set(name, {
            bytes: Buffer.concat(chunks),
            filename: info.filename ?? "",
            mimeType: info.mimeType,
          });
      });
    });
    parser.on("error", () => resolve({ ok: false, reason: "malformed" }));
    parser.on("close", () => resolve({ ok: true, fields, files, ...(repeatedFile ? { repeatedFile } : {}) }));
    parser.end(body);
  });
}
