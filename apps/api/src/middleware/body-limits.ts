import type { IncomingMessage, ServerResponse } from "node:http";
import type { Config } from "@facegate/config";
import { jsonTooDeep, reservedKeyPath } from "@facegate/core";
import express from "express";
import { Problem, reservedKey, tooDeep } from "../problem";

/**
 * How much body each route reads, decided here in one place. A body is refused (413
 * `payload_too_large`) from its Content-Length before a byte is read — and the connection closed
 * after the answer, rather than drained of what an abuser keeps sending — or, when its length is
 * not announced (chunked, compressed), as soon as it passes the limit. Multipart uploads are not buffered at all: `multipart.ts` streams each
 * part to S3 under its own per-file and per-field caps.
 */

/** Length of the base64 text of `bytes` bytes. */
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** Everything in a job's JSON besides its images: params, metadata (≤ 32 × 512 chars), URLs. */
const JSON_ENVELOPE_BYTES = 64 * 1024;

/**
 * POST /v1/jobs as JSON: room for two images of MAX_IMAGE_BYTES inline as base64 (target and
 * template) plus the envelope, ~56 MB with the defaults. More inline images than that (six
 * full-size Tencent merges) go by URL or as multipart, which is streamed, not buffered.
 */
export function jobJsonLimit(config: Config): number {
  return 2 * base64Length(config.api.maxImageBytes) + JSON_ENVELOPE_BYTES;
}

/**
 * POST /v1/batches as JSON: `items[]` is for URLs (10 000 items of ordinary URLs take a few MB)
 * and a few small inline images; large sets go as multipart files, an archive or a manifest.
 */
export const BATCH_JSON_LIMIT = 64 * 1024 * 1024;

/** Small JSON documents: a webhook endpoint. */
export const SMALL_JSON_LIMIT = 16 * 1024;

/** Routes that take no body read and drop a stray `{}`; anything larger is refused unread. */
export const NO_BODY_LIMIT = 1024;

type Next = (error?: unknown) => void;
type Handler = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/**
 * Refuse a body whose Content-Length is over `limit` without reading it. (body-parser alone
 * would read, and drop, the whole announced body before answering.) Typed on node's own request
 * and response, like body-parser's handlers, so a route's path parameters are still inferred.
 */
function announced(limit: number, parse: Handler, onlyJson: boolean): Handler {
  return (req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    const encoded = (req.headers["content-encoding"] ?? "identity").toLowerCase() !== "identity";
    // A JSON route's limit is for JSON: its multipart uploads are streamed under their own caps.
    const mediaType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!encoded && length > limit && (!onlyJson || mediaType === "application/json")) {
      res.setHeader("connection", "close");
      return next(new Problem(413, "payload_too_large", `the body is larger than ${limit} bytes`));
    }
    parse(req, res, next);
  };
}

/**
 * JSON (objects and arrays only) up to `limit` bytes, MAX_JSON_DEPTH levels deep, without
 * reserved keys; other media types pass through unread.
 */
export function jsonBody(limit: number): Handler {
  const parse = express.json({ limit, strict: true, verify: refuseDeepJson });
  return announced(
    limit,
    (req, res, next) =>
      parse(req, res, (error) => next(error ?? refuseReserved((req as { body?: unknown }).body))),
    true,
  );
}

/** body-parser's hook on the (inflated) bytes before parsing; what it throws is the answer. */
function refuseDeepJson(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (jsonTooDeep(body)) throw tooDeep("body");
}

function refuseReserved(body: unknown): Problem | undefined {
  const path = reservedKeyPath(body);
  return path === undefined ? undefined : reservedKey(path);
}

/** For routes without a request body (GET, DELETE, action POSTs). */
export const noBody: Handler = announced(
  NO_BODY_LIMIT,
  express.raw({ type: () => true, limit: NO_BODY_LIMIT }),
  false,
);

/**
 * A request refused before its body was read (no key, over the rate limit): close the connection
 * after the answer instead of reading, and dropping, a body that may be gigabytes.
 */
export function closeIfBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  const announced =
    Number(req.headers["content-length"] ?? 0) > 0 || req.headers["transfer-encoding"] !== undefined;
  if (announced && !req.complete) res.setHeader("connection", "close");
}
