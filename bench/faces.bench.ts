/**
 * Face pre-flight and local vendor figures (docs/benchmarks.md, "Faces"): detection CPU time at
 * 1, 4 and 8 MP; calls saved and good photos refused on a mixed set; identity transfer of the
 * local fusion against a naive elliptical paste; the side-by-side picture in docs/images/.
 * Part of `npm run bench`; alone: `npx tsx bench/run.ts faces` (it measures CPU time).
 */
import { join } from "node:path";
import type { ImageFaces, VendorId } from "@facegate/core";
import { cosine, describeFace, type FaceFixture, faceFixture, findFaces } from "@facegate/faces";
import { faceLimits, judgeFaces } from "@facegate/vendors";
import sharp from "sharp";
import { fuseFaces } from "../packages/vendors/src/local/fusion";
import { naivePaste } from "../packages/vendors/src/local/naive-paste";
import { decodeRgb, encodeJpeg, type Raster } from "../packages/vendors/src/local/raster";
import { type BenchResult, type BenchRow, fmt } from "./lib/result";

const cpuMs = async (run: () => Promise<unknown>) => {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** Detection CPU time, the pre-flight's calls saved, and the local fusion's identity transfer. */
export default async function faces(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  // 1. Detection CPU time per photo size (a portrait scaled up; a faceless one, which also takes the tiled pass).
  await findFaces(faceFixture("portraitA")); // load the models first
  for (const mp of [1, 4, 8]) {
    const width = Math.round(Math.sqrt((mp * 1e6 * 4) / 3));
    const height = Math.round((width * 3) / 4);
    const scaled = async (name: FaceFixture) =>
      sharp(faceFixture(name)).resize(width, height, { fit: "fill" }).jpeg({ quality: 90 }).toBuffer();
    const [face, none] = [await scaled("portraitA"), await scaled("faceless")];
    const runs = 3;
    let a = 0;
    let b = 0;
    for (let i = 0; i < runs; i++) {
      a += await cpuMs(() => findFaces(face));
      b += await cpuMs(() => findFaces(none));
    }
    rows.push(
      { metric: `detection CPU ms, portrait, ${mp} MP (${width}×${height})`, value: fmt(a / runs, 0) },
      { metric: `detection CPU ms, faceless, ${mp} MP (${width}×${height})`, value: fmt(b / runs, 0) },
    );
  }

  // 2. The mixed set under vendor auto (all three vendors): refused = every vendor would refuse.
  const blank = (colour: string) =>
    sharp({ create: { width: 800, height: 600, channels: 3, background: colour } })
      .jpeg()
      .toBuffer();
  const noise = async () => {
    const data = Buffer.alloc(800 * 600 * 3);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(Math.random() * 256);
    return sharp(data, { raw: { width: 800, height: 600, channels: 3 } })
      .jpeg()
      .toBuffer();
  };
  const good: [string, Buffer][] = (
    ["portraitA", "portraitB", "portraitC", "smallFace", "tinyFaces", "crowd"] as const
  ).map((n) => [n, faceFixture(n)]);
  const faceless: [string, Buffer][] = [
    ["faceless", faceFixture("faceless")],
    ["grey", await blank("#808080")],
    ["skin-tone", await blank("#d8a890")],
    ["noise", await noise()],
  ];
  const vendors: VendorId[] = ["ailab", "tencent", "aigs"];
  const refused = async (bytes: Buffer) => {
    const found = await findFaces(bytes);
    const image: ImageFaces = {
      width: found.width,
      height: found.height,
      faces: found.faces.map((f) => ({ ...f.box, score: f.score })),
    };
    return vendors.every((v) => judgeFaces([image], faceLimits(v, "face_fusion"), v) !== undefined);
  };
  let wrong = 0;
  let saved = 0;
  for (const [, b] of good) if (await refused(b)) wrong++;
  for (const [, b] of faceless) if (await refused(b)) saved++;
  rows.push(
    {
      metric: "vendor calls saved on faceless photos",
      value: `${saved} of ${faceless.length}`,
      target: `${faceless.length} of ${faceless.length}`,
      pass: saved === faceless.length,
    },
    { metric: "good photos refused", value: `${wrong} of ${good.length}`, target: "0", pass: wrong === 0 },
  );

  // 3. Identity transfer: cos(out, target) − cos(out, template), local fusion vs a naive paste.
  const describe = async (r: Raster) => describeFace({ ...r, channels: 3 });
  const pairs: [FaceFixture, FaceFixture][] = [
    ["portraitA", "portraitB"],
    ["portraitB", "portraitC"],
    ["portraitC", "portraitA"],
    ["portraitA", "portraitC"],
    ["portraitB", "portraitA"],
    ["portraitC", "portraitB"],
  ];
  const score = { local: [] as number[], naive: [] as number[], ms: [] as number[] };
  const tiles: Buffer[] = [];
  for (const [target, template] of pairs) {
    const dt = (await describe(await decodeRgb(faceFixture(target), 1600)))!;
    const dm = (await describe(await decodeRgb(faceFixture(template), 1600)))!;
    let fused: Raster | undefined;
    score.ms.push(
      await cpuMs(async () => {
        fused = await fuseFaces(faceFixture(target), faceFixture(template));
      }),
    );
    const naive = await naivePaste(faceFixture(target), faceFixture(template));
    for (const [name, out] of [
      ["local", fused!],
      ["naive", naive],
    ] as const) {
      const d = await describe(out);
      score[name].push(d ? cosine(d, dt) - cosine(d, dm) : Number.NaN);
    }
    if (tiles.length < 12) {
      for (const b of [
        faceFixture(target),
        faceFixture(template),
        await encodeJpeg(naive),
        await encodeJpeg(fused!),
      ])
        tiles.push(await sharp(b).resize(240, 280, { fit: "cover" }).toBuffer());
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const [i, [a, b]] of pairs.entries()) {
    rows.push({
      metric: `identity transfer ${a} → ${b}: local fusion (naive paste)`,
      value: `${fmt(score.local[i]!, 3)} (${fmt(score.naive[i]!, 3)})`,
    });
  }
  rows.push(
    {
      metric: "identity transfer, mean: local fusion",
      value: fmt(mean(score.local), 3),
      target: `> naive paste ${fmt(mean(score.naive), 3)}`,
      pass: mean(score.local) > mean(score.naive),
    },
    {
      metric: "local fusion CPU ms per job (480×560), median",
      value: fmt([...score.ms].sort((a, b) => a - b)[Math.floor(score.ms.length / 2)]!, 0),
    },
  );

  // The picture: per row target | template | naive paste | local fusion.
  const tileRows = tiles.length / 4;
  await sharp({ create: { width: 960, height: 280 * tileRows, channels: 3, background: "#000" } })
    .composite(tiles.map((input, i) => ({ input, left: (i % 4) * 240, top: Math.floor(i / 4) * 280 })))
    .jpeg({ quality: 85 })
    .toFile(join(import.meta.dirname, "..", "docs", "images", "local-fusion.jpg"));
  return {
    name: "Faces: pre-flight and the local vendor",
    description:
      "Detection CPU time per photo (one tfjs WebAssembly thread); the mixed set of packages/faces/fixtures plus four faceless photos under vendor auto; identity transfer = cos(output, target) − cos(output, template) of face-api's 128-d descriptor, each image levelled at the eyes first, for the six ordered pairs of the three portraits, local fusion beside a naive elliptical paste.",
    rows,
    notes: ["Picture (target, template, naive paste, local fusion): docs/images/local-fusion.jpg"],
  };
}
