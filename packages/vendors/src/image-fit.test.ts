import { describe, expect, it } from "vitest";
import { sizeRefusal, VENDOR_LIMITS } from "./image-fit";

const limits = { formats: ["jpeg", "png"] as const, maxBytes: 1_000_000, minSide: 50, maxSide: 2048 };

describe("sizeRefusal", () => {
  it("takes what fits, or fits once shrunk", () => {
    expect(sizeRefusal({ width: 50, height: 50 }, limits)).toBeUndefined();
    expect(sizeRefusal({ width: 6000, height: 4000 }, limits)).toBeUndefined();
  });

  it("refuses a side below the minimum, and a picture whose short side shrinks below it", () => {
    expect(sizeRefusal({ width: 10, height: 10 }, limits)).toBe(
      "10×10 pixels; each side must be at least 50",
    );
    expect(sizeRefusal({ width: 49, height: 400 }, limits)).toMatch(/at least 50/);
    expect(sizeRefusal({ width: 60, height: 5000 }, limits)).toBe(
      "60×5000 pixels; shrunk to at most 2048 on the long side, the short side falls below 50",
    );
  });

  it("reads each vendor's own limits (AILab face fusion needs 129 px, ai-gs 50)", () => {
    const small = { width: 100, height: 100 };
    expect(sizeRefusal(small, VENDOR_LIMITS.ailab("face_fusion", "target"))).toMatch(/at least 129/);
    expect(sizeRefusal(small, VENDOR_LIMITS.aigs("face_fusion", "target"))).toBeUndefined();
    expect(sizeRefusal(small, VENDOR_LIMITS.tencent("face_fusion", "target"))).toBeUndefined();
  });
});
