import { describe, expect, it } from "vitest";
import { isComplete, isCompleteTail, TailWindow } from "./completeness";
import { photo } from "./test-images";

const jpeg = await photo(64, 48).jpeg().toBuffer();
const progressive = await photo(64, 48).jpeg({ progressive: true }).toBuffer();
const png = await photo(64, 48).png().toBuffer();

describe("isComplete", () => {
  it("accepts whole JPEG and PNG files, with trailing zero padding", () => {
    expect(isComplete(jpeg, "jpeg")).toBe(true);
    expect(isComplete(progressive, "jpeg")).toBe(true);
    expect(isComplete(png, "png")).toBe(true);
    expect(isComplete(Buffer.concat([jpeg, Buffer.alloc(100)]), "jpeg")).toBe(true);
    expect(isComplete(Buffer.concat([png, Buffer.alloc(100)]), "png")).toBe(true);
  });

  it("spots truncated JPEG and PNG files", () => {
    for (const cut of [10, 200, jpeg.length - 1])
      expect(isComplete(jpeg.subarray(0, cut), "jpeg")).toBe(false);
    expect(isComplete(progressive.subarray(0, progressive.length - 300), "jpeg")).toBe(false);
    for (const cut of [10, 60, png.length - 1]) expect(isComplete(png.subarray(0, cut), "png")).toBe(false);
  });

  it("finds the real end of a JPEG with data appended after EOI (motion photos)", () => {
    const motionPhoto = Buffer.concat([
      jpeg,
      Buffer.from("....ftypmp42 and a video that does not end in FFD9"),
    ]);
    expect(isCompleteTail(motionPhoto.subarray(-64), "jpeg")).toBe(false); // the tail alone cannot tell
    expect(isComplete(motionPhoto, "jpeg")).toBe(true);
  });

  it("does not judge other formats", () => {
    expect(isComplete(Buffer.from("RIFF"), "webp")).toBe(true);
  });
});

describe("TailWindow", () => {
  it("keeps the tail of a stream seen chunk by chunk", () => {
    for (const chunkSize of [1, 7, 100, 5_000]) {
      const window = new TailWindow(64);
      for (let at = 0; at < png.length; at += chunkSize) window.push(png.subarray(at, at + chunkSize));
      expect(window.tail().equals(png.subarray(-64))).toBe(true);
      expect(window.bytesSeen).toBe(png.length);
      expect(isCompleteTail(window.tail(), "png")).toBe(true);
    }
  });

  it("shows a stream cut short", () => {
    const window = new TailWindow();
    window.push(jpeg.subarray(0, 500));
    window.push(jpeg.subarray(500, jpeg.length - 20));
    expect(isCompleteTail(window.tail(), "jpeg")).toBe(false);
  });
});
