import type { Readable } from "node:stream";
import busboy from "busboy";
import type { Request } from "express";
import { Problem } from "./problem";

export interface MultipartLimits {
  /** Largest file accepted; the file handler sees at most one byte more and refuses it. */
  fileBytes: number;
  files: number;
  fields: number;
  fieldBytes: number;
}

export interface FilePart {
  field: string;
  filename: string | undefined;
  stream: Readable;
  /** The fields read so far (a client that sends them first lets a file's checks know the job). */
  fields: Readonly<Record<string, string>>;
}

/**
 * Read a multipart body part by part. Each file is handed to `onFile` as a stream, in order,
 * and must be consumed there (streamed to S3): nothing is buffered or written to disk here.
 * Fields are collected. A handler error stops the upload; its error is what the caller sees.
 */
export async function readMultipart<T>(
  req: Request,
  limits: MultipartLimits,
  acceptFile: (field: string) => boolean,
  onFile: (part: FilePart) => Promise<T>,
): Promise<{ fields: Record<string, string>; files: { field: string; result: T }[] }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        fileSize: limits.fileBytes + 1,
        files: limits.files,
        fields: limits.fields,
        fieldSize: limits.fieldBytes,
        parts: limits.files + limits.fields,
      },
    });
  } catch {
    throw new Problem(400, "malformed_multipart", "the multipart body has no valid boundary");
  }

  const fields: Record<string, string> = {};
  const files: { field: string; result: T }[] = [];
  let failure: unknown;
  let chain: Promise<void> = Promise.resolve();

  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      req.unpipe(parser);
      req.resume(); // drain the rest so the connection can answer
      // Ends a file part still being read (with an error its consumer sees), so the chain settles.
      parser.destroy();
      chain.then(() => reject(failure), reject);
    };
    const malformed = () =>
      fail(new Problem(400, "malformed_multipart", "the multipart body could not be read"));
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(new Problem(413, "field_too_large", `field '${name}' is too large`));
      else if (name in fields) fail(new Problem(422, "validation_failed", `field '${name}' appears twice`));
      else fields[name] = value;
    });
    parser.on("file", (field, stream, info) => {
      // The parser fails the part's stream when the body ends inside it: a malformed body,
      // whoever is (or is not yet) reading that stream.
      stream.on("error", malformed);
      if (failure !== undefined || !acceptFile(field)) {
        if (failure === undefined)
          fail(new Problem(422, "validation_failed", `unexpected file field '${field}'`));
        stream.resume();
        return;
      }
      chain = chain.then(async () => {
        if (failure !== undefined) {
          stream.resume();
          return;
        }
        try {
          files.push({ field, result: await onFile({ field, filename: info.filename, stream, fields }) });
        } catch (error) {
          stream.resume();
          fail(error);
        }
      });
    });
    parser.on("filesLimit", () => fail(new Problem(413, "too_many_files", `at most ${limits.files} files`)));
    parser.on("fieldsLimit", () =>
      fail(new Problem(413, "too_many_fields", `at most ${limits.fields} fields`)),
    );
    parser.on("partsLimit", () => fail(new Problem(413, "too_many_parts", "too many parts")));
    parser.on("error", malformed);
    parser.on("close", () => {
      chain.then(() => (failure !== undefined ? reject(failure) : resolve({ fields, files })), reject);
    });
    req.on("aborted", () => fail(new Problem(400, "request_aborted", "the upload was interrupted")));
    req.pipe(parser);
  });
}
