import { EXPRESSIONS, type Expression, type Operation, type VendorId } from "@facegate/core";
import { z } from "zod";

/**
 * The public `params` of each operation on each vendor (docs/vendors.md).
 * The API validates with these before enqueueing; adapters parse again, so a job payload edited in
 * Redis or a new caller cannot slip an unchecked value into a billed vendor call. Unknown keys are
 * refused: a typo (`similarity` for `source_similarity`) must not be silently ignored.
 */

export const ailabFaceFusionParams = z.strictObject({
  /** 0: like the template; 1: most like the target. */
  source_similarity: z.number().min(0).max(1).optional(),
});

export const aigsFaceFusionParams = z.strictObject({});

const degree = z.int().min(0).max(100);

export const tencentFaceFusionParams = z.strictObject({
  /** Activity id; defaults to `TENCENT_PROJECT_ID`. */
  project_id: z.string().min(1).max(128).optional(),
  /** Material id; defaults to `TENCENT_MODEL_ID`. */
  model_id: z.string().min(1).max(128).optional(),
  /** Face of the material to replace (single-target form); the largest face when omitted. */
  template_face_id: z.string().min(1).max(128).optional(),
  fuse_face_degree: degree.optional(),
  fuse_profile_degree: degree.optional(),
  /** Tencent's visible "AI 合成" mark. @defaultValue 1 (the vendor's own default) */
  logo_add: z.union([z.literal(0), z.literal(1)]).optional(),
});

const expressionNames = Object.keys(EXPRESSIONS) as [Expression, ...Expression[]];

export const expressionParams = z.strictObject({
  expression: z.enum(expressionNames),
});

export const faceSlimmingParams = z.strictObject({
  /** Slimming strength, 0..2. @defaultValue 1 (the vendor's default) */
  slim_degree: z.number().min(0).max(2).default(1),
});

export type AilabFaceFusionParams = z.output<typeof ailabFaceFusionParams>;
export type AigsFaceFusionParams = z.output<typeof aigsFaceFusionParams>;
export type TencentFaceFusionParams = z.output<typeof tencentFaceFusionParams>;
export type ExpressionParams = z.output<typeof expressionParams>;
export type FaceSlimmingParams = z.output<typeof faceSlimmingParams>;

/** Param schema per operation and vendor; a missing entry means the vendor does not run the operation. */
export const PARAM_SCHEMAS = {
  face_fusion: {
    ailab: ailabFaceFusionParams,
    aigs: aigsFaceFusionParams,
    tencent: tencentFaceFusionParams,
    local: ailabFaceFusionParams,
  },
  expression: { ailab: expressionParams },
  face_slimming: { ailab: faceSlimmingParams, local: faceSlimmingParams },
} as const satisfies Record<Operation, Partial<Record<VendorId, z.ZodType>>>;

export function paramsSchema(operation: Operation, vendor: VendorId): z.ZodType | undefined {
  const byVendor: Partial<Record<VendorId, z.ZodType>> = PARAM_SCHEMAS[operation];
  return byVendor[vendor];
}

/**
 * The params one vendor reads, out of a job's params. Under `vendor: "auto"` the API accepts the
 * keys of every candidate vendor (a `source_similarity` for AILab next to a `fuse_face_degree`
 * for Tencent), so the vendor that ends up serving the job — first choice or after a failover — is
 * handed only the keys its schema knows; the adapter then checks their values strictly as ever.
 */
export function paramsForVendor(
  operation: Operation,
  vendor: VendorId,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const schema = paramsSchema(operation, vendor);
  if (!(schema instanceof z.ZodObject)) return params;
  const known = schema.shape as Record<string, unknown>;
  return Object.fromEntries(Object.entries(params).filter(([key]) => Object.hasOwn(known, key)));
}

/** The local vendor's fusion strength: `source_similarity` as AILab reads it, all of the target by default. */
export function faceFusionStrength(params: Record<string, unknown>): number {
  return ailabFaceFusionParams.parse(params).source_similarity ?? 1;
}
