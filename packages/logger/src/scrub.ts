/**
 * Secrets inside free text, for what redaction by key cannot see: error messages and stacks
 * (an HTTP client's error may quote the URL it called), URLs logged as plain strings, values
 * nested deeper than the redaction paths reach. Each pattern is replaced, the rest kept.
 */
const TEXT_PATTERNS: [RegExp, string][] = [
  // User and password in any URL.
  [/(\b[a-z][\w+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, "$1[redacted]@"],
  // Query strings of http(s) URLs: presigned signatures, tokens (`?token=` of ai-gs), user secrets.
  [/(\bhttps?:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi, "$1?[redacted]"],
  // facegate API keys and webhook secrets, wherever they appear.
  [/\b(fg|whsec)_[\w+/=-]{8,}/g, "$1_[redacted]"],
  // Credentials in header syntax.
  [/\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi, "$1 [redacted]"],
  // Long base64 runs: image bytes (and anything else that has no business in a log).
  [/[A-Za-z0-9+/]{200,}={0,2}/g, "[base64 redacted]"],
];

/** `text` with every secret-looking part replaced. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Nesting followed; deeper values are cut (a log line is not a data dump). */
const MAX_DEPTH = 8;
const MAX_ITEMS = 100;

/**
 * A copy of a value to be logged with secrets removed: keys named like secrets are censored at
 * any depth, strings are scrubbed, binary data is replaced by its length, and errors (anywhere)
 * are serialized with `serializeError` first, so their message, stack and fields are scrubbed too.
 */
export function scrubValue(
  value: unknown,
  secretKeys: ReadonlySet<string>,
  serializeError: (error: Error) => unknown,
  depth = 0,
): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  const next = (v: unknown) => scrubValue(v, secretKeys, serializeError, depth + 1);
  if (value instanceof Error) return scrubValue(serializeError(value), secretKeys, serializeError, depth);
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map(next);
  if (value instanceof Date || value instanceof URL) return scrubText(String(value));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = secretKeys.has(key.toLowerCase()) && v !== undefined && v !== null ? "[redacted]" : next(v);
  }
  return out;
}
