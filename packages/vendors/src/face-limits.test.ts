import type { ImageFaces } from "@facegate/core";
import { describe, expect, it } from "vitest";
import { faceLimits, judgeFaces } from "./face-limits";

const image = (...sides: number[]): ImageFaces => ({
  width: 2000,
  height: 2000,
  faces: sides.map((side, i) => ({ x: i * 10, y: 0, width: side, height: side + 20, score: 0.9 })),
});

describe("faceLimits", () => {
  it("holds each vendor's documented face minimum", () => {
    expect(faceLimits("ailab", "face_fusion").minFacePx).toBe(200);
    expect(faceLimits("tencent", "face_fusion").minFacePx).toBe(35);
    expect(faceLimits("aigs", "face_fusion").minFacePx).toBe(50);
    expect(faceLimits("ailab", "face_slimming")).toEqual({ minFacePx: 64, maxFaces: 3 });
  });
});

describe("judgeFaces", () => {
  const fusion = faceLimits("ailab", "face_fusion");
  const slimming = faceLimits("ailab", "face_slimming");

  it("takes a photo with a face of the vendor's size", () => {
    expect(judgeFaces([image(240)], fusion, "ailab")).toBeUndefined();
  });

  it("refuses a photo without a face", () => {
    expect(judgeFaces([image()], fusion, "ailab")?.code).toBe("no_face_detected");
  });

  it("refuses when even the largest face is under the minimum, measured on the box's shorter side", () => {
    const refused = judgeFaces([image(120, 80)], fusion, "ailab");
    expect(refused).toMatchObject({ code: "face_too_small", retryable: false });
    expect(refused?.message).toContain("120 px");
    expect(judgeFaces([image(120, 80)], faceLimits("aigs", "face_fusion"), "aigs")).toBeUndefined();
    expect(judgeFaces([image(199)], fusion, "ailab")?.code).toBe("face_too_small");
  });

  it("refuses more faces than the operation takes, not counting faces under its minimum", () => {
    expect(judgeFaces([image(100, 90, 80, 70)], slimming, "ailab")?.code).toBe("too_many_faces");
    expect(judgeFaces([image(100, 90, 80, 40, 30)], slimming, "ailab")).toBeUndefined();
  });

  it("judges every image (Tencent's merges): one faceless image refuses the lot", () => {
    const tencent = faceLimits("tencent", "face_fusion");
    expect(judgeFaces([image(60), image(50)], tencent, "tencent")).toBeUndefined();
    expect(judgeFaces([image(60), image()], tencent, "tencent")?.code).toBe("no_face_detected");
  });
});
