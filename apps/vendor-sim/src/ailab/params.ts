import type { SimAnswer } from "../pipeline";
import { ailabError } from "./envelope";

/**
 * Numeric multipart fields (`source_similarity`, `service_choice`, `slim_degree`). Multipart
 * carries text, so the vendor parses it: text that is not a number is a format error, a number
 * outside the documented scope answers the endpoint's own range code.
 */

export interface NumberFieldRule {
  /** Absent or empty is MISSING_PARAMETERS / PARAMETERS_CANNOT_EMPTY instead of "use the default". */
  required?: boolean;
  integer?: boolean;
  min?: number;
  max?: number;
  /** Extra acceptance test (an enumeration such as service_choice). */
  accept?: (value: number) => boolean;
  /** Code answered when the number is outside the scope. */
  rangeCode: string;
}

export type NumberField = { ok: true; value: number | undefined } | { ok: false; answer: SimAnswer };

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function readNumberField(
  form: { fields: ReadonlyMap<string, string> },
  name: string,
  rule: NumberFieldRule,
): NumberField {
  const raw = form.fields.get(name);
  if (raw === undefined) {
    return rule.required
      ? { ok: false, answer: ailabError("MISSING_PARAMETERS", `Missing parameter: ${name}.`) }
      : { ok: true, value: undefined };
  }
  const text = raw.trim();
  if (text === "") {
    return rule.required
      ? { ok: false, answer: ailabError("PARAMETERS_CANNOT_EMPTY", `${name} cannot be empty.`) }
      : { ok: true, value: undefined };
  }
  if (!DECIMAL.test(text)) {
    return { ok: false, answer: ailabError("ERROR_INVALID_PARAMETER_FORMAT", `${name} must be a number.`) };
  }
  const value = Number(text);
  const outOfRange =
    (rule.integer && !Number.isInteger(value)) ||
    (rule.min !== undefined && value < rule.min) ||
    (rule.max !== undefined && value > rule.max) ||
    (rule.accept !== undefined && !rule.accept(value));
  if (outOfRange)
    return { ok: false, answer: ailabError(rule.rangeCode, `${name}=${text} is out of scope.`) };
  return { ok: true, value };
}
