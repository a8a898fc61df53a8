import { EXPRESSIONS, type Expression } from "@facegate/core";
import { TencentAdapter, type VendorResult } from "@facegate/vendors";
import sharp from "sharp";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AilabPath,
  ailabDirect,
  type ContractRig,
  formatOf,
  portrait,
  ROWS,
  rowRequest,
  sha256,
  startContractRig,
  toBmp,
  vendorFailure,
} from "./support";

/**
 * The vendor contract, part 1: every adapter against apps/vendor-sim over HTTP — one success per
 * row of the operations table in docs/vendors.md, params reaching the vendor as its docs name them, and result URLs
 * that live exactly as long as the adapter says (docs/vendors.md, Results and URL lifetimes).
 * Error codes are in errors.contract.test.ts; rate limits, faults and auth in transport.contract.test.ts.
 */

let rig: ContractRig;

beforeAll(async () => {
  rig = await startContractRig();
  return () => rig.close();
});
// ai-gs allows one call per second per token: start every test in a fresh window.
beforeEach(() => rig.nextSecond());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** docs/vendors.md, Results and URL lifetimes: how long each vendor keeps a result it hands out as a URL. */
const URL_LIFETIME = { ailab: DAY, aigs: 7 * DAY, tencent: 7 * DAY } as const;

/** The bytes of a result, downloading it with the adapter when it is a URL. */
async function resultBytes(vendor: keyof typeof URL_LIFETIME, result: VendorResult): Promise<Buffer> {
  if (result.kind === "bytes") return result.bytes;
  const fetched = await rig.adapter(vendor).fetchResult(result.url);
  return fetched.bytes;
}

describe("a successful call, per row of the table", () => {
  // docs/vendors.md (each vendor's section): fusion and expression answer base64 on AILab; the rest answer URLs.
  const expectedKind = { "ailab face_fusion": "bytes", "ailab expression": "bytes" } as Record<
    string,
    "bytes" | "url"
  >;

  it.each(ROWS)("%s %s", async (vendor, operation) => {
    const started = Date.now();
    const result = await rig.adapter(vendor).call(rowRequest(vendor, operation, rig.images));
    expect(result.kind).toBe(expectedKind[`${vendor} ${operation}`] ?? "url");

    let bytes: Buffer;
    if (result.kind === "url") {
      expect(result.url.startsWith(rig.sim.urls[vendor])).toBe(true);
      // The adapter's expiry is the vendor's documented lifetime from now.
      expect(result.expiresAt - started).toBeGreaterThanOrEqual(URL_LIFETIME[vendor] - 1_000);
      expect(result.expiresAt - Date.now()).toBeLessThanOrEqual(URL_LIFETIME[vendor]);
      const fetched = await rig.adapter(vendor).fetchResult(result.url);
      expect(fetched.contentType).toBe("image/jpeg");
      bytes = fetched.bytes;
    } else {
      expect(result.contentType).toMatch(/^image\/(jpeg|png)$/);
      bytes = result.bytes;
    }
    const meta = await sharp(bytes).metadata();
    expect(meta.width).toBeGreaterThan(0);
    expect(["jpeg", "png"]).toContain(meta.format);

    // The simulator saw one accepted call, for this operation, with exactly the target we sent.
    const call = rig.sim.calls({ vendor }).at(-1)!;
    expect(call).toMatchObject({
      operation,
      status: 200,
      code: null,
      targetSha256: sha256(rig.images.target.bytes),
    });
  });

  it("Tencent: multi-face merges with template_face_id, and every documented param", async () => {
    const faces = rig.sim.credentials.tencentFaceIds;
    const result = await rig.adapter("tencent").call({
      operation: "face_fusion",
      merges: [
        { image: rig.images.target, templateFaceId: faces[0] },
        {
          image: await portrait(120),
          templateFaceId: faces[1],
          inputFaceRect: { x: 60, y: 80, width: 200, height: 240 },
        },
      ],
      params: { fuse_face_degree: 80, fuse_profile_degree: 20, logo_add: 0 },
      credential: 0,
    });
    expect(result.kind).toBe("url");
    expect(await formatOf(await resultBytes("tencent", result))).toBe("jpeg");
  });

  it("Tencent: the single-target form with template_face_id and explicit project and model", async () => {
    const { tencentFaceIds, tencentProjectId, tencentModelId } = rig.sim.credentials;
    const result = await rig.adapter("tencent").call({
      ...rowRequest("tencent", "face_fusion", rig.images),
      params: { template_face_id: tencentFaceIds[1], project_id: tencentProjectId, model_id: tencentModelId },
    });
    expect(await formatOf(await resultBytes("tencent", result))).toBe("jpeg");
  });

  it("Tencent: RspImgType base64 answers the image itself", async () => {
    const c = rig.config.tencent;
    const adapter = new TencentAdapter({
      secretId: c.secretId!,
      secretKey: c.secretKey!,
      region: c.region,
      endpoint: c.endpoint,
      projectId: c.projectId,
      modelId: c.modelId,
      timeoutMs: 10_000,
      rspImgType: "base64",
    });
    try {
      const result = await adapter.call(rowRequest("tencent", "face_fusion", rig.images));
      expect(result.kind).toBe("bytes");
      if (result.kind === "bytes") expect(await formatOf(result.bytes)).toBe("jpeg");
    } finally {
      await adapter.close();
    }
  });

  it("AILab face fusion takes a BMP target and template", async () => {
    const bmp = await toBmp(rig.images.target.bytes);
    const result = await rig.adapter("ailab").call({
      ...rowRequest("ailab", "face_fusion", rig.images),
      target: {
        bytes: bmp,
        contentType: "image/bmp",
        width: rig.images.target.width,
        height: rig.images.target.height,
      },
    });
    expect(result.kind).toBe("bytes");
    expect(rig.sim.calls({ vendor: "ailab" }).at(-1)).toMatchObject({
      status: 200,
      targetSha256: sha256(bmp),
    });
  });
});

/**
 * The simulator is deterministic: the same image and the same vendor fields give the same result.
 * So a result through the adapter equals one from a request built here by hand from the vendor's
 * docs exactly when the adapter sent the documented field with the documented value.
 */
describe("params reach AILab as its docs name them", () => {
  /** docs/vendors.md, AILabTools: service_choice codes of the emotion editor. */
  const SERVICE_CHOICE: Record<Expression, number> = {
    dimple_smile: 10,
    pear_dimple_smile: 11,
    big_grin: 12,
    standard_grin: 13,
    cool_pose: 14,
    sad: 15,
    forced_smile: 16,
    open_eyes: 100,
  };

  const direct = (path: AilabPath, fields: Record<string, string | Buffer>) =>
    ailabDirect(rig.sim, path, fields);

  it("covers every expression facegate offers", () => {
    expect(Object.keys(SERVICE_CHOICE).sort()).toEqual(Object.keys(EXPRESSIONS).sort());
  });

  const seen = new Set<string>();
  it.each(Object.entries(SERVICE_CHOICE))("expression %s is service_choice %i", async (name, code) => {
    const viaAdapter = await rig
      .adapter("ailab")
      .call(rowRequest("ailab", "expression", rig.images, { expression: name }));
    const byHand = await direct("emotion-editor", {
      image_target: rig.images.target.bytes,
      service_choice: String(code),
    });
    const bytes = await resultBytes("ailab", viaAdapter);
    expect(bytes).toEqual(byHand);
    seen.add(sha256(bytes));
  });

  it("(and each expression gives a different result, so the comparison above tells codes apart)", () => {
    expect(seen.size).toBe(Object.keys(SERVICE_CHOICE).length);
  });

  it("source_similarity", async () => {
    const viaAdapter = await rig
      .adapter("ailab")
      .call(rowRequest("ailab", "face_fusion", rig.images, { source_similarity: 0.2 }));
    const byHand = await direct("face-fusion", {
      image_target: rig.images.target.bytes,
      image_template: rig.images.template.bytes,
      source_similarity: "0.2",
    });
    const other = await direct("face-fusion", {
      image_target: rig.images.target.bytes,
      image_template: rig.images.template.bytes,
      source_similarity: "0.9",
    });
    const bytes = await resultBytes("ailab", viaAdapter);
    expect(bytes).toEqual(byHand);
    expect(bytes).not.toEqual(other);
  });

  it.each([
    [{ slim_degree: 1.7 }, "1.7"],
    [{}, "1"], // docs/vendors.md, AILabTools: default 1.0
  ])("slim_degree %j", async (params, field) => {
    const viaAdapter = await rig
      .adapter("ailab")
      .call(rowRequest("ailab", "face_slimming", rig.images, params));
    const byHand = await direct("smart-face-slimming", {
      image: rig.images.target.bytes,
      slim_degree: field,
    });
    expect(await resultBytes("ailab", viaAdapter)).toEqual(byHand);
  });
});

describe("result URLs expire when the adapter says they do", () => {
  it.each([
    ["ailab", "face_slimming", "http_404"],
    ["aigs", "face_fusion", "http_404"],
    ["tencent", "face_fusion", "http_403"], // an expired signed COS link
  ] as const)("%s %s", async (vendor, operation, vendorCode) => {
    const result = await rig.adapter(vendor).call(rowRequest(vendor, operation, rig.images));
    if (result.kind !== "url") throw new Error("expected a URL result");
    const untilExpiry = result.expiresAt - Date.now();

    // A minute before the adapter's expiry the copy still works; a minute after, it is gone for good.
    rig.advance(untilExpiry - 60_000);
    try {
      expect(await formatOf((await rig.adapter(vendor).fetchResult(result.url)).bytes)).toBe("jpeg");
      rig.advance(120_000);
      const error = await vendorFailure(rig.adapter(vendor).fetchResult(result.url));
      expect(error).toMatchObject({ vendor, kind: "input", code: "vendor_result_expired", vendorCode });
      expect(error.retryable).toBe(false);
    } finally {
      rig.advance(-(untilExpiry + 60_000));
    }
  });
});
