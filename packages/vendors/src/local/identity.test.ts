import { cosine, describeFace, type FaceFixture, faceFixture } from "@facegate/faces";
import { describe, expect, it } from "vitest";
import { fuseFaces } from "./fusion";
import { naivePaste } from "./naive-paste";
import type { Raster } from "./raster";
import { decodeRgb } from "./raster";

const descriptor = async (r: Raster) => (await describeFace({ ...r, channels: 3 }))!;

/** Identity transfer: how much nearer the output's face is to the target's than to the template's. */
async function transfer(out: Raster, target: FaceFixture, template: FaceFixture): Promise<number> {
  const d = await descriptor(out);
  const [dt, dm] = [
    await descriptor(await decodeRgb(faceFixture(target), 1600)),
    await descriptor(await decodeRgb(faceFixture(template), 1600)),
  ];
  return cosine(d, dt) - cosine(d, dm);
}

describe("local fusion identity", () => {
  // Three pairs of the committed portraits, each photo once as target and once as template.
  const pairs: [FaceFixture, FaceFixture][] = [
    ["portraitA", "portraitB"],
    ["portraitB", "portraitC"],
    ["portraitC", "portraitA"],
  ];

  it("carries more of the target's identity than a naive elliptical paste, on every pair", async () => {
    for (const [target, template] of pairs) {
      const local = await transfer(
        await fuseFaces(faceFixture(target), faceFixture(template)),
        target,
        template,
      );
      const naive = await transfer(
        await naivePaste(faceFixture(target), faceFixture(template)),
        target,
        template,
      );
      expect({ pair: `${target} → ${template}`, beats: local > naive, local, naive }).toMatchObject({
        beats: true,
      });
    }
  }, 120_000);
});
