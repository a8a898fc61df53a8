import { describe, expect, it } from "vitest";
import {
  aigsFaceFusionParams,
  ailabFaceFusionParams,
  expressionParams,
  faceSlimmingParams,
  paramsForVendor,
  paramsSchema,
  tencentFaceFusionParams,
} from "./params";

describe("param schemas", () => {
  it("bounds AILab's source_similarity to 0..1", () => {
    expect(ailabFaceFusionParams.parse({ source_similarity: 0.5 })).toEqual({ source_similarity: 0.5 });
    expect(ailabFaceFusionParams.parse({})).toEqual({});
    expect(ailabFaceFusionParams.safeParse({ source_similarity: 1.1 }).success).toBe(false);
  });

  it("refuses unknown keys everywhere", () => {
    expect(ailabFaceFusionParams.safeParse({ similarity: 0.5 }).success).toBe(false);
    expect(aigsFaceFusionParams.safeParse({ anything: 1 }).success).toBe(false);
    expect(tencentFaceFusionParams.safeParse({ rsp_img_type: "base64" }).success).toBe(false);
    expect(expressionParams.safeParse({ expression: "sad", extra: 1 }).success).toBe(false);
  });

  it("checks Tencent's degrees and logo switch", () => {
    const ok = { project_id: "at_1", model_id: "mt_1", template_face_id: "mt_1_1", fuse_face_degree: 0 };
    expect(tencentFaceFusionParams.parse({ ...ok, fuse_profile_degree: 100, logo_add: 0 })).toMatchObject(ok);
    expect(tencentFaceFusionParams.safeParse({ fuse_face_degree: 50.5 }).success).toBe(false);
    expect(tencentFaceFusionParams.safeParse({ fuse_profile_degree: 101 }).success).toBe(false);
    expect(tencentFaceFusionParams.safeParse({ logo_add: 2 }).success).toBe(false);
  });

  it("requires a named expression", () => {
    expect(expressionParams.parse({ expression: "open_eyes" })).toEqual({ expression: "open_eyes" });
    expect(expressionParams.safeParse({}).success).toBe(false);
    expect(expressionParams.safeParse({ expression: 100 }).success).toBe(false);
    expect(expressionParams.safeParse({ expression: "smile" }).success).toBe(false);
  });

  it("defaults slim_degree to 1 within 0..2", () => {
    expect(faceSlimmingParams.parse({})).toEqual({ slim_degree: 1 });
    expect(faceSlimmingParams.parse({ slim_degree: 2 })).toEqual({ slim_degree: 2 });
    expect(faceSlimmingParams.safeParse({ slim_degree: -0.1 }).success).toBe(false);
  });

  it("looks up the schema per operation and vendor", () => {
    expect(paramsSchema("face_fusion", "tencent")).toBe(tencentFaceFusionParams);
    expect(paramsSchema("expression", "ailab")).toBe(expressionParams);
    expect(paramsSchema("expression", "aigs")).toBeUndefined();
  });
});

describe("paramsForVendor", () => {
  it("keeps only the keys the serving vendor knows (auto jobs carry every candidate's keys)", () => {
    const params = { source_similarity: 0.4, fuse_face_degree: 80 };
    expect(paramsForVendor("face_fusion", "ailab", params)).toEqual({ source_similarity: 0.4 });
    expect(paramsForVendor("face_fusion", "tencent", params)).toEqual({ fuse_face_degree: 80 });
    expect(paramsForVendor("face_fusion", "aigs", params)).toEqual({});
  });

  it("leaves values alone: the adapter still checks them", () => {
    expect(paramsForVendor("face_slimming", "ailab", { slim_degree: 9 })).toEqual({ slim_degree: 9 });
  });
});
