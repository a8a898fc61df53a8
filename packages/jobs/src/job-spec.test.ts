import { loadConfig } from "@facegate/config";
import type { Operation, VendorId } from "@facegate/core";
import { describe, expect, it } from "vitest";
import { checkJobSpec, type InputsGiven, SpecError } from "./job-spec";

const base = {
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_BUCKET: "facegate",
  S3_ACCESS_KEY_ID: "id",
  S3_SECRET_ACCESS_KEY: "secret",
};
/** AILab and Tencent configured, `auto` prefers them in that order; ai-gs has no credentials. */
const config = loadConfig({
  ...base,
  AILAB_API_KEY: "k",
  TENCENT_SECRET_ID: "id",
  TENCENT_SECRET_KEY: "key",
  TENCENT_PROJECT_ID: "at_1",
  TENCENT_MODEL_ID: "mt_1",
  VENDOR_PREFERENCE: "ailab,tencent",
});
/** No vendor account: only `local` (no credentials needed, left out of the default preference). */
const bare = loadConfig(base);

const TARGET: InputsGiven = { target: true, template: false, merges: false };
const FUSION: InputsGiven = { target: true, template: true, merges: false };
const MERGES: InputsGiven = { target: false, template: false, merges: true };

/** The SpecError a spec is refused with (fails the test when it is accepted). */
function refusal(
  operation: Operation,
  vendor: VendorId | "auto",
  given: InputsGiven,
  params: unknown = {},
  on = config,
): SpecError {
  try {
    checkJobSpec(on, operation, vendor, given, params);
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error(`${operation} on ${vendor} was accepted`);
}

describe("checkJobSpec: good specs", () => {
  it("accepts face fusion on a named vendor, returning its params", () => {
    expect(checkJobSpec(config, "face_fusion", "ailab", FUSION, { source_similarity: 0.25 })).toEqual({
      source_similarity: 0.25,
    });
  });

  it("takes missing params as none", () => {
    expect(checkJobSpec(config, "face_fusion", "ailab", FUSION, undefined)).toEqual({});
  });

  it("fills the params' defaults", () => {
    expect(checkJobSpec(config, "face_slimming", "ailab", TARGET, {})).toEqual({ slim_degree: 1 });
  });

  it("accepts Tencent's merges form, with no target and no template", () => {
    expect(checkJobSpec(config, "face_fusion", "tencent", MERGES, { fuse_face_degree: 40 })).toEqual({
      fuse_face_degree: 40,
    });
  });

  it("accepts Tencent's single-target form without a template", () => {
    expect(checkJobSpec(config, "face_fusion", "tencent", TARGET, {})).toEqual({});
  });

  it("under `auto`, accepts the params of any candidate vendor side by side", () => {
    expect(
      checkJobSpec(config, "face_fusion", "auto", FUSION, { source_similarity: 0.5, fuse_face_degree: 80 }),
    ).toEqual({ source_similarity: 0.5, fuse_face_degree: 80 });
  });

  it("offers `local` when named, though no preference lists it", () => {
    expect(checkJobSpec(bare, "face_slimming", "local", TARGET, { slim_degree: 0.5 })).toEqual({
      slim_degree: 0.5,
    });
  });
});

describe("checkJobSpec: the vendor", () => {
  it("refuses a vendor that does not offer the operation, naming those that do", () => {
    const error = refusal("expression", "aigs", TARGET, { expression: "sad" });
    expect(error.code).toBe("unsupported_operation");
    expect(error.message).toBe("vendor 'aigs' does not offer 'expression'; it is offered by: ailab");
    expect(error.errors).toBeUndefined();
  });

  it("refuses a vendor able to do it but without credentials here", () => {
    const error = refusal("face_fusion", "aigs", FUSION);
    expect(error.code).toBe("vendor_not_configured");
    expect(error.message).toBe("vendor 'aigs' is not configured on this server");
  });

  it("refuses `auto` when no configured vendor in the preference offers the operation", () => {
    const error = refusal("face_fusion", "auto", FUSION, {}, bare);
    expect(error.code).toBe("vendor_not_configured");
    expect(error.message).toBe("no configured vendor offers 'face_fusion'");
  });

  it("checks the vendor before the inputs and params", () => {
    expect(refusal("expression", "tencent", MERGES, { nope: 1 }).code).toBe("unsupported_operation");
    expect(refusal("face_fusion", "aigs", MERGES, { nope: 1 }).code).toBe("vendor_not_configured");
  });
});

describe("checkJobSpec: the inputs", () => {
  const inputError = (operation: Operation, vendor: VendorId | "auto", given: InputsGiven) => {
    const error = refusal(operation, vendor, given);
    expect(error.code).toBe("validation_failed");
    expect(error.errors).toHaveLength(1);
    return error.errors![0]!;
  };

  it("requires a target for every single-image operation", () => {
    expect(inputError("face_slimming", "ailab", { ...TARGET, target: false })).toEqual({
      path: "inputs.target",
      message: "required",
    });
  });

  it("refuses a template or merges where the operation takes none", () => {
    expect(inputError("expression", "ailab", FUSION)).toEqual({
      path: "inputs.template",
      message: "'expression' takes no template",
    });
    expect(inputError("face_slimming", "auto", { ...TARGET, merges: true }).path).toBe("inputs.merges");
  });

  it("requires both target and template for face fusion outside Tencent, named or `auto`", () => {
    expect(inputError("face_fusion", "ailab", TARGET)).toEqual({
      path: "inputs.template",
      message: "required",
    });
    expect(inputError("face_fusion", "auto", { ...FUSION, target: false }).path).toBe("inputs.target");
    expect(inputError("face_fusion", "ailab", { ...FUSION, merges: true }).message).toBe(
      "only Tencent face fusion takes merges",
    );
  });

  it("wants exactly one of target and merges from Tencent, and never a template", () => {
    expect(inputError("face_fusion", "tencent", { target: true, template: false, merges: true })).toEqual({
      path: "inputs.target",
      message: "give either target or merges",
    });
    expect(inputError("face_fusion", "tencent", { target: false, template: false, merges: false }).path).toBe(
      "inputs.target",
    );
    expect(inputError("face_fusion", "tencent", FUSION).path).toBe("inputs.template");
  });

  it("checks the inputs before the params, and says the first problem in its message", () => {
    const error = refusal("face_fusion", "ailab", TARGET, { source_similarity: 9 });
    expect(error.message).toBe("inputs.template: required");
  });
});

describe("checkJobSpec: the params", () => {
  it("refuses a value out of range, with its path under params", () => {
    const error = refusal("face_fusion", "ailab", FUSION, { source_similarity: 1.5 });
    expect(error.code).toBe("validation_failed");
    expect(error.errors).toHaveLength(1);
    expect(error.errors![0]!.path).toBe("params.source_similarity");
  });

  it("refuses a key the vendor does not know (a typo is never ignored)", () => {
    const error = refusal("face_fusion", "ailab", FUSION, { similarity: 0.5 });
    expect(error.code).toBe("validation_failed");
    expect(error.errors![0]!.path).toBe("params");
    expect(error.errors![0]!.message).toContain("similarity");
  });

  it("refuses another vendor's key on a named vendor", () => {
    expect(refusal("face_fusion", "ailab", FUSION, { fuse_face_degree: 50 }).errors![0]!.path).toBe("params");
  });

  it("under `auto`, refuses a key no candidate knows, and a bad value of one that does", () => {
    expect(refusal("face_fusion", "auto", FUSION, { strength: 1 }).code).toBe("validation_failed");
    expect(refusal("face_fusion", "auto", FUSION, { fuse_face_degree: 101 }).errors![0]!.path).toBe(
      "params.fuse_face_degree",
    );
  });

  it("refuses params that are not an object", () => {
    expect(refusal("face_fusion", "ailab", FUSION, "source_similarity=1").code).toBe("validation_failed");
  });

  it("refuses an unknown expression, listing every error found", () => {
    const error = refusal("expression", "ailab", TARGET, { expression: "smirk", extra: true });
    expect(error.errors!.map((e) => e.path).sort()).toEqual(["params", "params.expression"]);
  });
});
