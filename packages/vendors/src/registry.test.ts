import type { Config } from "@facegate/config";
import { CAPABILITIES, OPERATIONS } from "@facegate/core";
import { afterEach, describe, expect, it } from "vitest";
import { closeAdapters, createAdapters } from "./registry";
import type { VendorAdapter } from "./types";

function vendorsConfig(overrides: Partial<Config["vendors"]> = {}): Config["vendors"] {
  return {
    preference: ["ailab", "tencent", "aigs"],
    pacing: "adaptive",
    timeoutMs: 60_000,
    concurrency: 16,
    ailab: { apiKey: undefined, baseUrl: "https://www.ailabapi.com", concurrency: 8, rps: 0 },
    aigs: { tokens: [], baseUrl: "https://imageapi.ai-gs.cn", rpsPerToken: 1 },
    tencent: {
      secretId: undefined,
      secretKey: undefined,
      region: "ap-guangzhou",
      endpoint: "https://facefusion.tencentcloudapi.com",
      projectId: undefined,
      modelId: undefined,
      rps: 20,
    },
    ...overrides,
  };
}

const full = () => {
  const base = vendorsConfig();
  return vendorsConfig({
    preference: ["aigs", "ailab"],
    ailab: { ...base.ailab, apiKey: "k" },
    aigs: { ...base.aigs, tokens: ["a", "b", "c"] },
    tencent: { ...base.tencent, secretId: "id", secretKey: "key", projectId: "at_1", modelId: "mt_1" },
  });
};

let made: Map<string, VendorAdapter> | undefined;
afterEach(async () => {
  if (made) await closeAdapters(made as Parameters<typeof closeAdapters>[0]);
  made = undefined;
});

describe("createAdapters", () => {
  it("creates only the local vendor without credentials (it needs none)", () => {
    made = createAdapters(vendorsConfig());
    expect([...made.keys()]).toEqual(["local"]);
  });

  it("creates only the vendors with credentials", () => {
    const base = vendorsConfig();
    made = createAdapters(vendorsConfig({ aigs: { ...base.aigs, tokens: ["t"] } }));
    expect([...made.keys()]).toEqual(["aigs", "local"]);
  });

  it("orders by preference, then the rest, and each adapter supports what CAPABILITIES says", () => {
    made = createAdapters(full());
    expect([...made.keys()]).toEqual(["aigs", "ailab", "tencent", "local"]);
    for (const [id, adapter] of made) {
      expect(adapter.id).toBe(id);
      for (const operation of OPERATIONS) {
        expect(adapter.supports(operation), `${id} ${operation}`).toBe(
          CAPABILITIES[operation].includes(adapter.id),
        );
      }
    }
    expect(made.get("aigs")!.credentials()).toEqual(["aigs#1", "aigs#2", "aigs#3"]);
    expect(made.get("ailab")!.credentials()).toEqual(["ailab"]);
    expect(made.get("tencent")!.credentials()).toEqual(["tencent"]);
    // Labels, never secrets.
    expect(JSON.stringify([...made.values()].map((a) => a.credentials()))).not.toMatch(/"(a|b|c|k|key)"/);
  });
});

describe("limits", () => {
  it("states each vendor's documented input limits, in raw bytes and inclusive pixels", () => {
    made = createAdapters(full());
    const ailab = made.get("ailab")!;
    expect(ailab.limits("face_fusion", "target")).toEqual({
      formats: ["jpeg", "png", "bmp"],
      maxBytes: 4_000_000,
      minSide: 129,
      maxSide: 4095,
      colorRequired: true,
    });
    expect(ailab.limits("face_fusion", "template")).toMatchObject({ minSide: 201, maxSide: 4095 });
    expect(ailab.limits("expression", "target")).toMatchObject({
      formats: ["jpeg", "png"],
      maxBytes: 5_000_000,
    });
    expect(ailab.limits("face_slimming", "target")).toMatchObject({
      maxBytes: 6_000_000,
      minSide: 129,
      maxSide: 4999,
    });
    expect(() => ailab.limits("expression", "template")).toThrow(RangeError);

    // Base64-limited vendors: 5 MB of base64 carries 3.75 MB; a 5 % margin stays below that.
    const tencent = made.get("tencent")!.limits("face_fusion", "target");
    expect(tencent).toMatchObject({ formats: ["jpeg", "png"], minSide: 65, maxSide: 4095 });
    expect(tencent.maxBytes).toBeLessThan(3_750_000);
    expect(tencent.maxBytes).toBeGreaterThan(3_400_000);
    expect(Math.ceil(tencent.maxBytes / 3) * 4).toBeLessThanOrEqual(5_000_000);

    const aigs = made.get("aigs")!;
    expect(aigs.limits("face_fusion", "target")).toMatchObject({ minSide: 50, maxSide: 2048 });
    expect(aigs.limits("face_fusion", "template")).toMatchObject({ maxSide: 1280 });
    expect(aigs.limits("face_fusion", "target").maxBytes).toBeLessThan(3_750_000);
  });
});
