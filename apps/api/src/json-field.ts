import { Problem } from "./problem";

/** A multipart text field that carries JSON (`params`, `metadata`); undefined when absent. */
export function jsonField(value: string | undefined, name: string): unknown {
  if (value === undefined || value === "") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new Problem(422, "validation_failed", `${name}: not valid JSON`, [
      { path: name, message: "not valid JSON" },
    ]);
  }
}
