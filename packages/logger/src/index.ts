import pino, { type Logger } from "pino";

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
];

const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'req.headers["authorization"]',
  'req.headers["ailabapi-api-key"]',
  'req.headers["idempotency-key"]',
]);

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  name?: string;
  /** Where lines go; a test passes a stream to capture them. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? "info",
    name: options.name,
    redact: { paths, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
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
