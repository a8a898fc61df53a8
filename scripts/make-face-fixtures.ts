/**
 * Rebuilds the small face fixtures in packages/faces/fixtures from the sample photos shipped in
 * @vladmandic/face-api's demo/ (MIT licence, photos by the package's author; see
 * packages/faces/fixtures/README.md). Run: `npx tsx scripts/make-face-fixtures.ts`.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import sharp from "sharp";

const require = createRequire(import.meta.url);
const demo = join(dirname(require.resolve("@vladmandic/face-api/package.json")), "demo");
const out = join(import.meta.dirname, "..", "packages", "faces", "fixtures");
mkdirSync(out, { recursive: true });

const sample = (n: number) => join(demo, `sample${n}.jpg`);
const jpeg = { quality: 82, mozjpeg: true } as const;

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

async function crop(n: number, region: Region, width: number, name: string) {
  await sharp(sample(n)).extract(region).resize({ width }).jpeg(jpeg).toFile(join(out, name));
}

async function whole(n: number, width: number, name: string) {
  await sharp(sample(n)).resize({ width }).jpeg(jpeg).toFile(join(out, name));
}

// Single portraits: head and shoulders around one face of 200+ px, at the photos' own resolution.
await crop(1, { left: 1337, top: 60, width: 480, height: 560 }, 480, "portrait-a.jpg");
await crop(3, { left: 445, top: 180, width: 480, height: 560 }, 480, "portrait-b.jpg");
await crop(6, { left: 1350, top: 120, width: 480, height: 560 }, 480, "portrait-c.jpg");
// A face of about 80 px: enough for ai-gs and Tencent, under AILab's 200 px.
await crop(4, { left: 520, top: 0, width: 480, height: 560 }, 160, "small-face.jpg");
// Three faces of about 40 px: only Tencent's 34 px minimum takes them.
await whole(1, 400, "tiny-faces.jpg");
// Five faces of 70+ px: more than slimming takes (1 to 3 faces of at least 64 px).
await whole(5, 1000, "crowd.jpg");
// No face at all: a corner of a room.
await crop(2, { left: 0, top: 700, width: 480, height: 420 }, 360, "faceless.jpg");
