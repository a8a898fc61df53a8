import { autoVendors, type Config, configuredVendors } from "@facegate/config";
import { type Operation, type VendorId, vendorsFor } from "@facegate/core";
import { paramsSchema } from "@facegate/vendors";
import { z } from "zod";

export interface InputsGiven {
  target: boolean;
  template: boolean;
  merges: boolean;
}

/**
 * Check that the operation, vendor, inputs and params go together, before any byte is stored
 * or any job is queued. Returns the params as the vendor(s) will read them.
 */
export function checkJobSpec(
  config: Config,
  operation: Operation,
  vendor: VendorId | "auto",
  given: InputsGiven,
  params: unknown,
): Record<string, unknown> {
  const capable = vendorsFor(operation);
  if (vendor !== "auto" && !capable.includes(vendor)) {
    throw new SpecError(
      "unsupported_operation",
      undefined,
      `vendor '${vendor}' does not offer '${operation}'; it is offered by: ${capable.join(", ")}`,
    );
  }
  // A named vendor needs its credentials only: one left out of VENDOR_PREFERENCE (`local`) is still offered.
  const offered = vendor === "auto" ? autoVendors(config.vendors) : configuredVendors(config.vendors);
  const candidates = vendor === "auto" ? capable.filter((v) => offered.includes(v)) : [vendor];
  if (candidates.length === 0 || !offered.includes(candidates[0]!)) {
    throw new SpecError(
      "vendor_not_configured",
      undefined,
      vendor === "auto"
        ? `no configured vendor offers '${operation}'`
        : `vendor '${vendor}' is not configured on this server`,
    );
  }
  checkInputs(operation, vendor, given);
  const schema = vendor === "auto" ? autoParams(operation, candidates) : paramsSchema(operation, vendor)!;
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success)
    throw new SpecError(
      "validation_failed",
      parsed.error.issues.map((i) => ({
        path: ["params", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    );
  return parsed.data as Record<string, unknown>;
}

function checkInputs(operation: Operation, vendor: VendorId | "auto", given: InputsGiven) {
  const need = (cond: boolean, path: string, message: string) => {
    if (!cond) throw new SpecError("validation_failed", [{ path, message }]);
  };
  if (operation !== "face_fusion") {
    need(given.target, "inputs.target", "required");
    need(!given.template, "inputs.template", `'${operation}' takes no template`);
    need(!given.merges, "inputs.merges", "only Tencent face fusion takes merges");
    return;
  }
  if (vendor === "tencent") {
    need(given.target !== given.merges, "inputs.target", "give either target or merges");
    need(
      !given.template,
      "inputs.template",
      "Tencent fuses into its configured material (model_id), not an uploaded template",
    );
    return;
  }
  need(!given.merges, "inputs.merges", "only Tencent face fusion takes merges");
  need(given.target, "inputs.target", "required");
  need(given.template, "inputs.template", "required");
}

/**
 * Under `auto`, params may be any that one of the candidate vendors takes; each vendor is given
 * the ones it knows. A key no candidate knows is still refused.
 */
function autoParams(operation: Operation, candidates: readonly VendorId[]): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const vendor of candidates) {
    const schema = paramsSchema(operation, vendor) as z.ZodObject | undefined;
    for (const [key, field] of Object.entries(schema?.shape ?? {})) shape[key] ??= field as z.ZodType;
  }
  return z.strictObject(shape);
}

/** The request's operation, vendor, inputs or params do not go together. */
export class SpecError extends Error {
  readonly errors: { path: string; message: string }[] | undefined;
  constructor(
    readonly code: "validation_failed" | "unsupported_operation" | "vendor_not_configured",
    errors?: { path: string; message: string }[],
    message?: string,
  ) {
    super(message ?? (errors?.[0] ? `${errors[0].path}: ${errors[0].message}` : code));
    this.name = "SpecError";
    this.errors = errors;
  }
}
