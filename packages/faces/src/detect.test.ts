import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { detectFaces, faceSide, findFaces, UnreadableImageError } from "./detect";
import { faceFixture } from "./fixtures";

describe("detectFaces", () => {
  it("finds the one face of a portrait, with its 68 landmarks on the face", async () => {
    const faces = await detectFaces(faceFixture("portraitB"), { landmarks: true });
    expect(faces).toHaveLength(1);
    const [face] = faces;
    expect(face!.score).toBeGreaterThan(0.9);
    expect(faceSide(face!.box)).toBeGreaterThan(120);
    expect(face!.landmarks).toHaveLength(68);
    const { x, y, width, height } = face!.box;
    const inside = face!.landmarks!.filter(
      (p) => p.x >= x - 10 && p.x <= x + width + 10 && p.y >= y - 10 && p.y <= y + height + 10,
    );
    expect(inside.length).toBeGreaterThanOrEqual(64);
    // Eyes above the mouth: the layout is the iBUG one the fusion relies on.
    expect(face!.landmarks![36]!.y).toBeLessThan(face!.landmarks![48]!.y);
  });

  it("finds no face where there is none", async () => {
    expect(await detectFaces(faceFixture("faceless"))).toEqual([]);
  });

  it("finds every face of a crowd, largest first, without landmarks unless asked", async () => {
    const faces = await detectFaces(faceFixture("crowd"));
    expect(faces).toHaveLength(5);
    const areas = faces.map((f) => f.box.width * f.box.height);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
    expect(faces.every((f) => f.landmarks === undefined)).toBe(true);
  });

  it("finds small faces and reports their size in the photo's pixels", async () => {
    const faces = await detectFaces(faceFixture("tinyFaces"));
    expect(faces).toHaveLength(3);
    for (const face of faces) expect(faceSide(face.box)).toBeLessThan(50);
  });

  it("measures boxes in the original's pixels when it shrinks a large photo first", async () => {
    const small = await detectFaces(faceFixture("portraitA"));
    const big = await sharp(faceFixture("portraitA"))
      .resize({ width: 480 * 4 })
      .jpeg()
      .toBuffer();
    const faces = await detectFaces(big);
    expect(faces).toHaveLength(1);
    // The same face, four times larger, within the detector's own wobble (a few per cent).
    expect(faces[0]!.box.x / 4 / small[0]!.box.x).toBeGreaterThan(0.9);
    expect(faces[0]!.box.x / 4 / small[0]!.box.x).toBeLessThan(1.1);
    expect(faceSide(faces[0]!.box) / 4 / faceSide(small[0]!.box)).toBeGreaterThan(0.9);
    expect(faceSide(faces[0]!.box) / 4 / faceSide(small[0]!.box)).toBeLessThan(1.1);
  });

  it("finds a face too small for the whole view of a large photo by looking again in tiles", async () => {
    const photo = await sharp({ create: { width: 6000, height: 3000, channels: 3, background: "#8a9aa8" } })
      .composite([{ input: faceFixture("portraitC"), left: 700, top: 2300 }])
      .jpeg()
      .toBuffer();
    const { width, faces } = await findFaces(photo);
    expect(width).toBe(6000);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.box.x).toBeGreaterThan(700);
    expect(faces[0]!.box.x).toBeLessThan(700 + 480);
    expect(faceSide(faces[0]!.box)).toBeGreaterThan(180);
  });

  it("applies EXIF orientation: boxes are where a person sees the face", async () => {
    // Stored sideways, flagged to be turned 90° clockwise for display (orientation 6).
    const sideways = await sharp(faceFixture("portraitB"))
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const upright = await detectFaces(faceFixture("portraitB"));
    const { width, height, faces } = await findFaces(sideways);
    expect([width, height]).toEqual([480, 560]);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.box.x).toBeCloseTo(upright[0]!.box.x, -1);
    expect(faces[0]!.box.y).toBeCloseTo(upright[0]!.box.y, -1);
  });

  it("takes decoded pixels (RGBA) as well as files", async () => {
    const { data, info } = await sharp(faceFixture("portraitC"))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const faces = await detectFaces({ data, width: info.width, height: info.height, channels: 4 });
    expect(faces).toHaveLength(1);
  });

  it("refuses what is not an image", async () => {
    await expect(detectFaces(Buffer.from("not an image"))).rejects.toBeInstanceOf(UnreadableImageError);
    // …and the next call still runs.
    expect(await detectFaces(faceFixture("portraitA"))).toHaveLength(1);
  });
});

describe("runtime", () => {
  it("runs on the WebAssembly backend with one thread", async () => {
    const { faceApi } = await import("./runtime");
    await faceApi();
    const tf = await import("@tensorflow/tfjs");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(wasm.getThreadsCount()).toBe(1);
  });
});
