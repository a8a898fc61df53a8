import { describe, expect, it } from "vitest";
import { cropAroundFaces } from "./crop-region";

const box = (x: number, y: number, side: number) => ({ x, y, width: side, height: side });

describe("cropAroundFaces", () => {
  it("leaves a photo that fits, or has no face, whole", () => {
    expect(cropAroundFaces({ width: 2000, height: 1500 }, [box(10, 10, 100)], 2048)).toBeUndefined();
    expect(cropAroundFaces({ width: 6000, height: 4000 }, [], 2048)).toBeUndefined();
  });

  it("cuts a maxSide window centred on the face of a larger photo, inside the photo", () => {
    const region = cropAroundFaces({ width: 6000, height: 4000 }, [box(4000, 1000, 300)], 2048)!;
    expect(region).toEqual({ left: 4150 - 1024, top: 1150 - 1024, width: 2048, height: 2048 });
  });

  it("slides the window back inside the photo at its edges", () => {
    const region = cropAroundFaces({ width: 6000, height: 3000 }, [box(5800, 2800, 150)], 2048)!;
    expect(region).toEqual({ left: 6000 - 2048, top: 3000 - 2048, width: 2048, height: 2048 });
  });

  it("keeps the photo's own side where it is already small enough", () => {
    const region = cropAroundFaces({ width: 6000, height: 1000 }, [box(3000, 400, 200)], 2048)!;
    expect(region).toMatchObject({ top: 0, width: 2048, height: 1000 });
  });

  it("takes in the other faces that fit beside the largest, and leaves out those that do not", () => {
    const faces = [box(1000, 1000, 300), box(1700, 1000, 250), box(5500, 1000, 250)];
    const region = cropAroundFaces({ width: 6000, height: 4000 }, faces, 2048)!;
    for (const f of faces.slice(0, 2)) {
      expect(f.x).toBeGreaterThanOrEqual(region.left);
      expect(f.x + f.width).toBeLessThanOrEqual(region.left + region.width);
    }
    expect(faces[2]!.x).toBeGreaterThan(region.left + region.width);
  });
});
