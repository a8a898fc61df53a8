import fc from "fast-check";

/*
 * Reusable generators of hostile input for facegate's parsers and HTTP API: each mixes what a
 * client means to send with what a broken or malicious one sends.
 */

/** Text as clients type it: ASCII, Unicode, control characters, path and formula characters. */
export const text = (maxLength = 40) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.constantFrom(
      "",
      "..",
      "../../x.jpg",
      "/etc/passwd",
      "..\\..\\win.jpg",
      "\t=1+2",
      "\r=cmd",
      "@SUM(1)",
      "-3",
    ),
  );

/** Keys of a client's map, reserved ones included. */
export const mapKey = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "ref", "source_similarity", "a.b", ""),
  fc.string({ maxLength: 70 }),
);

/** JSON nested `depth` levels: arrays or objects, as text. */
export const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 40_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

/** Any JSON value (shallow: deep nesting comes as text, from `jsonText`). */
export const jsonValue = fc.jsonValue({ maxDepth: 4 });

/** JSON text: any value, sometimes nested thousands deep. */
export const jsonText = fc.oneof(
  { weight: 4, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: deepJson },
);

/** Operation parameters: known names with any value, unknown and reserved names. */
export const params = fc.dictionary(
  fc.oneof(fc.constantFrom("source_similarity", "expression", "slim_degree", "model_id"), mapKey),
  jsonValue,
  { maxKeys: 4 },
);

/** Metadata: mostly well-formed, sometimes not (long, control characters, reserved keys). */
export const metadata = fc.dictionary(mapKey, fc.oneof(fc.string({ maxLength: 20 }), text(600), jsonValue), {
  maxKeys: 5,
});

/** URLs as users paste them, and not: bad percent-escapes, odd schemes, private hosts. */
export const url = (imageServer: string) =>
  fc.oneof(
    fc
      .tuple(
        fc.array(fc.oneof(fc.webSegment(), fc.constantFrom("%ff", "%E0%A4%A", "%", "%2e%2e", "..")), {
          maxLength: 4,
        }),
        fc.webQueryParameters(),
      )
      .map(([segments, query]) => `${imageServer}/${segments.join("/")}${query ? `?${query}` : ""}`),
    fc.constantFrom(
      "http://127.0.0.1:6379/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/a.jpg",
      "http://0x7f.1/a.jpg",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "data:image/jpeg;base64,AAAA",
      "http://user:pw@10.0.0.1/a.jpg",
      "",
    ),
    text(80),
  );

/** Prefer header values: waits in and out of range, garbage. */
export const prefer = fc.oneof(
  fc.integer({ min: -5, max: 400 }).map((n) => `wait=${n}`),
  fc.constantFrom(
    "wait=",
    "wait=abc",
    'wait="2"',
    "respond-async, wait=1",
    "wait=99999999999999999999",
    "handling=strict",
  ),
  fc.string({ maxLength: 40 }).map(printable),
);

/** Idempotency-Key values a header can carry: empty, long, odd characters. */
export const idempotencyKey = fc.oneof(
  fc.string({ minLength: 0, maxLength: 300 }).map(printable),
  fc.uuid(),
  fc.constantFrom("", " ", "a".repeat(255), "a".repeat(256)),
);

/** What a header value may hold (fetch refuses the rest before sending). */
function printable(s: string): string {
  return s.replace(/[^\x20-\x7e\t]/g, "x").trim();
}

/** A mutation of bytes: cut short, bytes flipped, a slice repeated or removed. */
export const mutation = fc.oneof(
  fc.constant((b: Buffer) => b),
  // Cut near the end: into the last part, or just its closing boundary, the likeliest breakage.
  fc.integer({ min: 1, max: 4_000 }).map((n) => (b: Buffer) => b.subarray(0, Math.max(0, b.length - n))),
  fc
    .double({ min: 0, max: 1, noNaN: true })
    .map((at) => (b: Buffer) => b.subarray(0, Math.floor(b.length * at))),
  fc
    .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 8,
    })
    .map((flips) => (b: Buffer) => {
      const out = Buffer.from(b);
      for (const [at, byte] of flips) if (out.length > 0) out[Math.floor(at * (out.length - 1))] = byte;
      return out;
    }),
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 200 }), fc.boolean())
    .map(([at, length, repeat]) => (b: Buffer) => {
      const start = Math.floor(at * b.length);
      const slice = b.subarray(start, start + length);
      return repeat
        ? Buffer.concat([b.subarray(0, start), slice, slice, b.subarray(start)])
        : Buffer.concat([b.subarray(0, start), b.subarray(start + length)]);
    }),
);

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string | undefined;
}

/** A multipart/form-data body of these parts, written by hand (so it can then be mutated). */
export function multipartBody(parts: Part[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const file = part.filename === undefined ? "" : `; filename="${part.filename}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${file}\r\n`),
    );
    if (part.filename !== undefined) chunks.push(Buffer.from("Content-Type: application/octet-stream\r\n"));
    chunks.push(Buffer.from("\r\n"), Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** Text fields of a job or batch form: the real ones with any value, and others. */
export const formFields = fc.array(
  fc.record({
    name: fc.oneof(
      fc.constantFrom("operation", "vendor", "params", "metadata", "webhook_url", "template_url"),
      fc.string({ maxLength: 12 }).map((s) => s.replace(/["\r\n]/g, "")),
    ),
    value: fc.oneof(
      fc.constantFrom("face_fusion", "expression", "ailab", "auto", "{}", "[]", "null"),
      jsonText,
      text(60),
    ),
  }),
  { maxLength: 6 },
);

/** Manifest files: CSV rows and NDJSON lines, well-formed and not. */
export const manifest = (imageServer: string) =>
  fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          "target_url,name",
          "target_url,template_url,name,metadata.ref",
          "target_url,metadata.__proto__",
          "name",
          "",
        ),
        fc.array(fc.array(fc.oneof(url(imageServer), text(30)), { maxLength: 4 }), { maxLength: 5 }),
      )
      .map(
        ([header, rows]) => `${header}\r\n${rows.map((r) => r.map(csvQuoted).join(",")).join("\r\n")}\r\n`,
      ),
    fc
      .array(
        fc.oneof(
          url(imageServer).map((u) => JSON.stringify({ inputs: { target: { url: u } } })),
          fc
            .record({
              inputs: fc.record({ target: fc.record({ url: url(imageServer) }) }),
              name: text(),
              params,
              metadata,
            })
            .map((v) => JSON.stringify(v)),
          jsonText,
          text(40),
        ),
        { maxLength: 5 },
      )
      .map((lines) => `${lines.join("\n")}\n`),
  );

function csvQuoted(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
