import { jsonTooDeep, reservedKeyPath } from "@facegate/core";
import { Problem, reservedKey, tooDeep } from "./problem";

/** A multipart text field that carries JSON (`params`, `metadata`); undefined when absent. */
export function jsonField(value: string | undefined, name: string): unknown {
  if (value === undefined || value === "") return undefined;
  if (jsonTooDeep(value)) throw tooDeep(name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Problem(422, "validation_failed", `${name}: not valid JSON`, [
      { path: name, message: "not valid JSON" },
    ]);
  }
  const reserved = reservedKeyPath(parsed, name);
  if (reserved !== undefined) throw reservedKey(reserved);
  return parsed;
}
