import pino, { type Logger } from "pino";
import { scrubText, scrubValue } from "./scrub";

export { scrubText } from "./scrub";
export type { Logger };

/**
 * Keys whose values never reach a log line, wherever they sit in the logged object: credentials,
 * webhook secrets, presigned URLs (their query string is a credential) and image bytes.
 */
export const REDACTED_KEYS = [
  "authorization",
  "apiKey",
  "api_key",
  "key",
  "token",
  "tokens",
  "secret",
  "secretKey",
  "secretAccessKey",
  "password",
  "url",
  "presignedUrl",
  "base64",
  "image",
  "bytes",
  "body",
  "cookie",
  "ailabapi-api-key",
  "x-api-key",
  "x-tc-authorization",
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'req.headers["authorization"]',
  'req.headers["ailabapi-api-key"]',
  'req.headers["idempotency-key"]',
]);

const SECRET_KEYS: ReadonlySet<string> = new Set(REDACTED_KEYS.map((k) => k.toLowerCase()));

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  name?: string;
  /** Where lines go; a test passes a stream to capture them. */
  destination?: NodeJS.WritableStream;
}

/**
 * pino with two layers against leaks. Redaction paths censor known keys near the top of a line
 * (cheap, by pino itself). Then every logged object is walked: secret-named keys are censored at
 * any depth, and text — error messages and stacks included — is scrubbed of URL query strings,
 * URL credentials, facegate keys and webhook secrets, bearer tokens and base64 runs. Messages are
 * scrubbed too. Lines stay few (fixed messages, identifiers in fields), so the walk costs little.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const serializeError = pino.stdSerializers.err as (error: Error) => unknown;
  const tracing = options.level === "debug" || options.level === "trace";
  const base: pino.LoggerOptions = {
    level: options.level ?? "info",
    name: options.name,
    redact: { paths, censor: "[redacted]" },
    // At debug, a `hop` line (one job's path on a timeline, bench/latency.bench.ts) carries a
    // sub-millisecond clock: the hops of a job are a millisecond or less apart.
    mixin: tracing
      ? (object) => ("hop" in object ? { at: performance.timeOrigin + performance.now() } : {})
      : undefined,
    formatters: {
      log: (object) => scrubValue(object, SECRET_KEYS, serializeError) as Record<string, unknown>,
    },
    // Errors were serialized (and scrubbed) by the formatter above; anything else passes.
    serializers: {
      err: (error: unknown) =>
        error instanceof Error ? scrubValue(error, SECRET_KEYS, serializeError) : error,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed: unknown[] = args.map((arg) => (typeof arg === "string" ? scrubText(arg) : arg));
        // Without a message pino takes the error's own, unscrubbed: give it the scrubbed one.
        const [first, second] = scrubbed;
        const error = first instanceof Error ? first : (first as { err?: unknown } | null)?.err;
        if (error instanceof Error && typeof second !== "string")
          scrubbed.splice(1, 0, scrubText(error.message));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (options.destination) return pino(base, options.destination as pino.DestinationStream);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } },
    });
  }
  return pino(base);
}
