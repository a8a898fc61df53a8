import { randomBytes } from "node:crypto";
import { loadConfig } from "@facegate/config";
import type { FaceFindings, JobRecord, RoutingNote, StoredInput, VendorId } from "@facegate/core";
import { CircuitBreaker } from "@facegate/queue";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { chooseVendor, failedVendors, vendorCandidates } from "./dispatch";

/** AILab, Tencent and ai-gs configured; `auto` prefers them in that order. */
const config = loadConfig({
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_BUCKET: "facegate",
  S3_ACCESS_KEY_ID: "id",
  S3_SECRET_ACCESS_KEY: "secret",
  AILAB_API_KEY: "k",
  AIGS_TOKENS: "a",
  TENCENT_SECRET_ID: "id",
  TENCENT_SECRET_KEY: "key",
  TENCENT_PROJECT_ID: "at_1",
  TENCENT_MODEL_ID: "mt_1",
  VENDOR_PREFERENCE: "ailab,tencent,aigs",
});

const prefix = `dispatch${randomBytes(4).toString("hex")}`;
let redis: Redis;
/** The real circuit breaker on the test's Redis; one vendor-level failure opens a circuit. */
let circuit: CircuitBreaker;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  circuit = new CircuitBreaker(redis, (vendor) => `${prefix}:circuit:${vendor}`, 1, 60_000);
});
beforeEach(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const image = (side: number): StoredInput => ({
  key: `inputs/${side}.jpg`,
  format: "jpeg",
  width: side,
  height: side,
  bytes: 50_000,
  sha256: "0".repeat(64),
});

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  const at = Date.now();
  return {
    id: "job_1",
    tenant: "acme",
    status: "queued",
    operation: "face_fusion",
    vendorRequested: "auto",
    params: {},
    inputs: { target: image(1024), template: image(1024) },
    metadata: {},
    createdAt: at,
    updatedAt: at,
    deadlineAt: at + 600_000,
    attempts: 0,
    routing: [],
    ...overrides,
  };
}

const failedOver = (vendor: VendorId): RoutingNote => ({
  vendor,
  outcome: "failed_over",
  reason: "vendor_unavailable",
  at: Date.now(),
});

const faces = (side: number): FaceFindings => ({
  target: { width: 1024, height: 1024, faces: [{ x: 10, y: 10, width: side, height: side, score: 0.9 }] },
  ms: 12,
});

describe("vendorCandidates", () => {
  it("under `auto`, follows the preference among the vendors able to do the operation", () => {
    expect(vendorCandidates(config, "face_fusion", "auto")).toEqual(["ailab", "tencent", "aigs"]);
    expect(vendorCandidates(config, "expression", "auto")).toEqual(["ailab"]);
  });

  it("takes a named vendor as the only candidate", () => {
    expect(vendorCandidates(config, "face_fusion", "aigs")).toEqual(["aigs"]);
  });
});

describe("failedVendors", () => {
  it("collects the vendors the job failed over from, not the ones merely skipped", () => {
    const skipped: RoutingNote = { vendor: "aigs", outcome: "skipped", reason: "circuit open", at: 1 };
    expect(failedVendors(job({ routing: [failedOver("ailab"), skipped] }))).toEqual(new Set(["ailab"]));
  });
});

describe("chooseVendor under auto", () => {
  const services = () => ({ config, circuit });

  it("takes the preferred vendor when every circuit is closed", async () => {
    expect(await chooseVendor(services(), job())).toEqual({ vendor: "ailab", notes: [] });
  });

  it("skips a vendor whose circuit is open, and says so", async () => {
    await circuit.recordFailure("ailab", "vendor_unavailable");
    const choice = await chooseVendor(services(), job());
    expect(choice).toMatchObject({ vendor: "tencent" });
    expect("notes" in choice && choice.notes).toEqual([
      expect.objectContaining({
        vendor: "ailab",
        outcome: "skipped",
        reason: expect.stringContaining("circuit"),
      }),
    ]);
  });

  it("takes the first candidate anyway when every circuit is open", async () => {
    for (const vendor of ["ailab", "tencent", "aigs"]) await circuit.recordFailure(vendor, "down");
    const choice = await chooseVendor(services(), job());
    expect(choice).toMatchObject({ vendor: "ailab" });
    // The vendor used is not among the skipped ones.
    expect("notes" in choice && choice.notes.map((n) => [n.vendor, n.outcome])).toEqual([
      ["tencent", "skipped"],
      ["aigs", "skipped"],
    ]);
  });

  it("moves past the vendors the job already failed over from", async () => {
    expect(await chooseVendor(services(), job({ routing: [failedOver("ailab")] }))).toEqual({
      vendor: "tencent",
      notes: [],
    });
  });

  it("is exhausted once every candidate has failed the job", async () => {
    const routing = [failedOver("ailab"), failedOver("tencent"), failedOver("aigs")];
    expect(await chooseVendor(services(), job({ routing }))).toEqual({
      exhausted: true,
      tried: ["ailab", "tencent", "aigs"],
    });
  });

  it("never routes to a vendor whose pixel limits the inputs miss", async () => {
    // AILab needs a face-fusion target over 128 px; Tencent and ai-gs take 100 px.
    const small = job({ inputs: { target: image(100), template: image(1024) } });
    expect(await chooseVendor(services(), small)).toMatchObject({ vendor: "tencent" });
  });

  it("routes past a vendor that would refuse the faces the pre-flight found, with a note", async () => {
    // AILab needs a 200 px face for face fusion; Tencent 35 px.
    const choice = await chooseVendor(services(), job({ preflight: true, faces: faces(100) }));
    expect(choice).toMatchObject({ vendor: "tencent" });
    expect("notes" in choice && choice.notes).toEqual([
      expect.objectContaining({
        vendor: "ailab",
        outcome: "skipped",
        reason: expect.stringContaining("face_too_small"),
      }),
    ]);
  });

  it("refuses the job with the preferred vendor's answer when no vendor would take its faces", async () => {
    const choice = await chooseVendor(services(), job({ preflight: true, faces: faces(20) }));
    expect(choice).toEqual({
      refused: expect.objectContaining({ code: "face_too_small", retryable: false }),
    });
    expect("refused" in choice && choice.refused.message).toContain("200 px");
  });
});

describe("chooseVendor for a named vendor", () => {
  const services = () => ({ config, circuit });

  it("uses it even with its circuit open", async () => {
    await circuit.recordFailure("aigs", "down");
    expect(await chooseVendor(services(), job({ vendorRequested: "aigs" }))).toEqual({
      vendor: "aigs",
      notes: [],
    });
  });

  it("does not fail over from it", async () => {
    expect(
      await chooseVendor(services(), job({ vendorRequested: "aigs", routing: [failedOver("aigs")] })),
    ).toEqual({ exhausted: true, tried: ["aigs"] });
  });
});
