import type { FaceFindings, ImageLimits, JobRecord } from "@facegate/core";
import { detectFaces, faceFixture, findFaces } from "@facegate/faces";
import type { ObjectStore } from "@facegate/storage";
import type { VendorAdapter } from "@facegate/vendors";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareVendorImages, readAhead, withHeld } from "./vendor-inputs";

/**
 * Input preparation with the pre-flight's findings: a face in a photo larger than the vendor
 * takes reaches it at full resolution (cut, not shrunk), and Tencent is told where it is. The
 * store and the adapter are this unit's edges (an object in memory, the adapter's limits).
 */

const limits = (maxSide: number): ImageLimits => ({
  formats: ["jpeg", "png"],
  maxBytes: 3_500_000,
  minSide: 65,
  maxSide,
});
const adapter = (id: "aigs" | "tencent", maxSide: number) =>
  ({ id, limits: () => limits(maxSide) }) as unknown as VendorAdapter;

let photo: Buffer;
let faces: FaceFindings;
const store = { get: async () => photo } as unknown as ObjectStore;
const stored = { key: "k", format: "jpeg" as const, width: 6000, height: 3000, bytes: 1, sha256: "" };

function record(withFaces: boolean, params: Record<string, unknown> = {}): JobRecord {
  return {
    id: "job_x",
    tenant: "t",
    status: "running",
    operation: "face_fusion",
    vendorRequested: "auto",
    params,
    inputs: { target: stored },
    metadata: {},
    createdAt: 0,
    updatedAt: 0,
    deadlineAt: 0,
    attempts: 0,
    routing: [],
    faces: withFaces ? faces : undefined,
  };
}

beforeAll(async () => {
  // A 6000×3000 photo with one portrait far from its centre.
  photo = await sharp({ create: { width: 6000, height: 3000, channels: 3, background: "#8a9aa8" } })
    .composite([{ input: faceFixture("portraitB"), left: 4600, top: 2200 }])
    .jpeg({ quality: 90 })
    .toBuffer();
  const found = await findFaces(photo);
  expect(found.faces).toHaveLength(1);
  faces = {
    target: {
      width: found.width,
      height: found.height,
      faces: found.faces.map((f) => ({ ...f.box, score: f.score })),
    },
    ms: 0,
  };
});

describe("prepareVendorImages with the pre-flight's faces", () => {
  it("cuts a maxSide window around the face instead of shrinking the photo", async () => {
    const { target } = await prepareVendorImages(record(true), adapter("aigs", 2048), store, 50_000_000);
    expect([target!.width, target!.height]).toEqual([2048, 2048]);
    const [face] = await detectFaces(target!.bytes);
    // Full resolution: the face keeps its size (a shrunk photo would hold it at about a third).
    expect(
      Math.min(face!.box.width, face!.box.height) /
        Math.min(faces.target!.faces[0]!.width, faces.target!.faces[0]!.height),
    ).toBeGreaterThan(0.85);
  });

  it("shrinks the whole photo when the pre-flight did not run", async () => {
    const { target } = await prepareVendorImages(record(false), adapter("aigs", 2048), store, 50_000_000);
    expect([target!.width, target!.height]).toEqual([2048, 1024]);
  });

  it("gives Tencent the face's rectangle in the pixels it is sent, as one MergeInfo", async () => {
    const images = await prepareVendorImages(
      record(true, { template_face_id: "f1" }),
      adapter("tencent", 4095),
      store,
      50_000_000,
    );
    expect(images.target).toBeUndefined();
    expect(images.merges).toHaveLength(1);
    const [merge] = images.merges!;
    expect(merge!.templateFaceId).toBe("f1");
    const rect = merge!.inputFaceRect!;
    const [face] = await detectFaces(merge!.image.bytes);
    expect(Math.abs(rect.x - face!.box.x)).toBeLessThan(rect.width * 0.15);
    expect(Math.abs(rect.y - face!.box.y)).toBeLessThan(rect.height * 0.15);
    expect(rect.x + rect.width).toBeLessThanOrEqual(merge!.image.width);
  });

  it("leaves a caller's own face rectangle alone", async () => {
    const r = record(true);
    r.inputs = { merges: [{ image: stored, inputFaceRect: { x: 1, y: 2, width: 40, height: 40 } }] };
    r.faces = { merges: [faces.target!], ms: 0 };
    const images = await prepareVendorImages(r, adapter("tencent", 4095), store, 50_000_000);
    expect(images.merges![0]!.inputFaceRect).toEqual({ x: 1, y: 2, width: 40, height: 40 });
  });
});

describe("readAhead", () => {
  it("reads the named keys at once, hands each out once, and reads any other when asked", async () => {
    const reads: string[] = [];
    const store = {
      get: async (key: string) => {
        reads.push(key);
        if (key === "gone") throw new Error("NoSuchKey");
        return Buffer.from(key);
      },
    };
    const ahead = readAhead(store, ["a", "b", "gone"]);
    expect(reads).toEqual(["a", "b", "gone"]);
    expect((await ahead.get("a")).toString()).toBe("a");
    expect(reads).toHaveLength(3);
    expect((await ahead.get("a")).toString()).toBe("a");
    expect((await ahead.get("c")).toString()).toBe("c");
    expect(reads).toEqual(["a", "b", "gone", "a", "c"]);
    // "b" is never asked for and "gone" failed unasked: neither is an unhandled rejection.
  });
});

describe("withHeld", () => {
  it("answers the keys a record holds from it, and reads the rest from the store", async () => {
    const reads: string[] = [];
    const store = {
      get: async (key: string) => {
        reads.push(key);
        return Buffer.from(`stored ${key}`);
      },
    };
    const source = withHeld(store, new Map([["target", Buffer.from("held target")]]));
    expect((await source.get("target")).toString()).toBe("held target");
    expect((await source.get("template")).toString()).toBe("stored template");
    expect(reads).toEqual(["template"]);
  });
});
