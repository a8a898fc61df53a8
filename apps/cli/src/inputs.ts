import { statSync } from "node:fs";
import type { ImageSource } from "@facegate/client";
import { InvalidArgumentError } from "commander";
import { usageError } from "./errors";

/**
 * What users type for images and parameters, turned into what the client takes. Shared by
 * `jobs create` and `batch create`.
 */

/** `--target`/`--template`: an http(s) URL (facegate fetches it) or a file on disk (uploaded). */
export function imageSource(value: string, option: string): ImageSource {
  if (/^https?:\/\//i.test(value)) return { url: value };
  let isFile = false;
  try {
    isFile = statSync(value).isFile();
  } catch {
    throw usageError(`${option}: no such file: ${value}`);
  }
  if (!isFile) throw usageError(`${option}: not a file: ${value}`);
  return { file: value };
}

/** Collects a repeatable `key=value` option into a list. */
export function collect(value: string, all: string[] | undefined): string[] {
  if (!/^[^=]+=/.test(value)) throw new InvalidArgumentError(`expected key=value, not "${value}"`);
  return [...(all ?? []), value];
}

/**
 * `--params-json` first, then each `--param key=value` over it. A value that reads as JSON
 * (`0.5`, `true`, `{"a":1}`) is taken as such, anything else as a string, so
 * `--param expression=big_grin` and `--param fuse_face_degree=80` both do what one means.
 */
export function buildParams(pairs: string[] | undefined, json: string | undefined): Record<string, unknown> {
  let params: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw usageError(`--params-json: not valid JSON (${(error as Error).message})`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw usageError("--params-json: expected a JSON object");
    }
    params = parsed as Record<string, unknown>;
  }
  for (const [key, raw] of split(pairs)) params[key] = jsonOrString(raw);
  return params;
}

/** `--metadata k=v …`: strings only, as the API keeps them. */
export function buildMetadata(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs?.length) return undefined;
  return Object.fromEntries(split(pairs));
}

function split(pairs: string[] | undefined): [string, string][] {
  return (pairs ?? []).map((pair) => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at).trim(), pair.slice(at + 1)];
  });
}

function jsonOrString(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** A positive integer option (`--limit 20`). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

/** Seconds (`--wait 90`, `--wait 1.5`). */
export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number of seconds");
  return n;
}
