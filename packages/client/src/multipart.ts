import { randomBytes } from "node:crypto";

/** A multipart/form-data body as a stream, with its exact size known before the first byte. */
export interface EncodedForm {
  body: ReadableStream<Uint8Array>;
  /** Bytes the stream will yield in all. */
  length: number;
  contentType: string;
}

const CRLF = "\r\n";

/**
 * Encode a FormData as multipart/form-data (RFC 7578) ourselves rather than letting fetch do it:
 * only then is the total size known up front and every byte countable as fetch pulls it, which
 * an upload progress bar needs. Files are read from their Blob (for `openAsBlob`, the disk)
 * chunk by chunk as the request is sent, so memory stays flat however large the upload.
 */
export function encodeMultipart(
  form: FormData,
  onProgress?: (sent: number, total: number) => void,
): EncodedForm {
  const boundary = `----facegate-${randomBytes(12).toString("hex")}`;
  const encoder = new TextEncoder();
  const pieces: (Uint8Array | Blob)[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      pieces.push(encoder.encode(`${partHead(boundary, name)}${CRLF}${CRLF}${lines(value)}${CRLF}`));
    } else {
      // FormData turns every Blob into a File; its name is the part's filename.
      const file = value as File;
      const head =
        `${partHead(boundary, name)}; filename="${quoteParam(file.name || "blob")}"${CRLF}` +
        `Content-Type: ${file.type || "application/octet-stream"}${CRLF}${CRLF}`;
      pieces.push(encoder.encode(head), file, encoder.encode(CRLF));
    }
  }
  pieces.push(encoder.encode(`--${boundary}--${CRLF}`));
  const length = pieces.reduce((sum, p) => sum + (p instanceof Blob ? p.size : p.byteLength), 0);

  let sent = 0;
  const chunks = yieldPieces(pieces);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) {
        controller.close();
        return;
      }
      sent += next.value.byteLength;
      controller.enqueue(next.value);
      onProgress?.(sent, length);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return { body, length, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function* yieldPieces(pieces: (Uint8Array | Blob)[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (!(piece instanceof Blob)) {
      yield piece;
      continue;
    }
    const reader = piece.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
}

function partHead(boundary: string, name: string): string {
  return `--${boundary}${CRLF}Content-Disposition: form-data; name="${quoteParam(lines(name))}"`;
}

/** Names are quoted strings: quotes and line breaks are percent-encoded, as browsers do. */
function quoteParam(value: string): string {
  return value.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
}

/** Line breaks in field values are CRLF on the wire (the HTML form encoding rule). */
function lines(value: string): string {
  return value.replace(/\r?\n|\r/g, CRLF);
}
