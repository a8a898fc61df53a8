import { describe, expect, it } from "vitest";
import { mergeOverlapping, tileWindows } from "./tiles";

describe("tileWindows", () => {
  it("covers the image with overlapping windows inside it", () => {
    const windows = tileWindows(2048, 1024, 1024);
    expect(windows.map((w) => w.left)).toEqual([0, 512, 1024]);
    expect(windows.every((w) => w.top === 0 && w.width === 1024 && w.height === 1024)).toBe(true);
  });

  it("is one window for an image no larger than a window, clipped to it", () => {
    expect(tileWindows(800, 600, 1024)).toEqual([{ left: 0, top: 0, width: 800, height: 600 }]);
  });
});

describe("mergeOverlapping", () => {
  const face = (x: number, score: number) => ({ box: { x, y: 0, width: 100, height: 100 }, score });

  it("keeps the better box of a face found twice, and faces apart", () => {
    expect(mergeOverlapping([face(0, 0.7), face(10, 0.9), face(500, 0.6)])).toEqual([
      face(10, 0.9),
      face(500, 0.6),
    ]);
  });
});
