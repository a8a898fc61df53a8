import { randomBytes, randomUUID } from "node:crypto";
import type { SimAnswer } from "../pipeline";
import { AILAB_STATUS, ailabCodeMessage, ailabLegacyCode } from "./errors";

/**
 * The AILab response envelope. Every answer carries every field the docs show (current and
 * legacy), since adapters written from either page must find what they look for:
 * `error_code` is 0 on success and otherwise equals the HTTP status.
 */

export interface AilabEnvelope {
  request_id: string;
  log_id: string;
  error_code: number;
  error_code_str: string;
  error_msg: string;
  error_detail: { status_code: number; code: string; code_message: string; message: string };
  data: Record<string, unknown>;
}

function ids(): { request_id: string; log_id: string } {
  return { request_id: randomUUID(), log_id: randomBytes(16).toString("hex").toUpperCase() };
}

export function ailabSuccess(data: Record<string, unknown>): SimAnswer {
  const body: AilabEnvelope = {
    ...ids(),
    error_code: 0,
    error_code_str: "",
    error_msg: "",
    error_detail: { status_code: 200, code: "", code_message: "", message: "" },
    data,
  };
  return { status: 200, body, code: null };
}

/**
 * An error answer with the status from the current table; `status` overrides it (for example to
 * reproduce the legacy page, which had EXCEEDING_LIMITS at 422).
 */
export function ailabError(code: string, message?: string, status?: number): SimAnswer {
  const httpStatus = status ?? AILAB_STATUS.get(code) ?? 500;
  const codeMessage = ailabCodeMessage(code);
  const detail = message ?? codeMessage;
  const body: AilabEnvelope = {
    ...ids(),
    error_code: httpStatus,
    error_code_str: ailabLegacyCode(code),
    error_msg: `${codeMessage} - ${detail}`,
    error_detail: { status_code: httpStatus, code, code_message: codeMessage, message: detail },
    data: {},
  };
  return { status: httpStatus, body, code };
}

/** The opening of a success body, for the "truncated JSON" fault. */
export function ailabSuccessPrefix(field: "image" | "image_url"): string {
  const { body } = ailabSuccess({ [field]: field === "image" ? "/9j/4AAQSkZJRgABAQAAAQABAAD" : "https://" });
  return JSON.stringify(body);
}
