import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The committed face fixtures (see fixtures/README.md for what each holds and its licence). */
export const FACE_FIXTURES = {
  portraitA: "portrait-a.jpg",
  portraitB: "portrait-b.jpg",
  portraitC: "portrait-c.jpg",
  smallFace: "small-face.jpg",
  tinyFaces: "tiny-faces.jpg",
  crowd: "crowd.jpg",
  faceless: "faceless.jpg",
} as const;

export type FaceFixture = keyof typeof FACE_FIXTURES;

export function faceFixturePath(name: FaceFixture): string {
  return join(import.meta.dirname, "..", "fixtures", FACE_FIXTURES[name]);
}

export function faceFixture(name: FaceFixture): Buffer {
  return readFileSync(faceFixturePath(name));
}
