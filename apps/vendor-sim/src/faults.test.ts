import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AILAB_TRANSIENT_CODES } from "./ailab/errors";
import { Prng, rollFault } from "./faults";
import { startVendorSim, type VendorSim } from "./index";
import { TENCENT_TRANSIENT_CODES } from "./tencent/errors";
import { postAigs, postAilab } from "./testing/clients";
import { face } from "./testing/fixtures";
import { callTencent } from "./testing/tencent-client";

// Fault injection over real HTTP: each kind, per vendor, deterministic for a seed.

let sim: VendorSim;
let target: Buffer;

beforeAll(async () => {
  sim = await startVendorSim({ seed: 7, aigs: { rateLimitPerSecond: null } });
  target = await face();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const ailabCall = () =>
  postAilab(
    sim.urls.ailab,
    "emotion-editor",
    { image_target: target, service_choice: "12" },
    sim.credentials.ailabApiKey,
  );
const rawAilab = (signal?: AbortSignal) => {
  const form = new FormData();
  form.append("service_choice", "12");
  form.append("image_target", new Blob([new Uint8Array(target)]), "t.jpg");
  return fetch(`${sim.urls.ailab}/api/portrait/effects/emotion-editor`, {
    method: "POST",
    body: form,
    headers: { "ailabapi-api-key": sim.credentials.ailabApiKey },
    signal,
  });
};

describe("Prng and rollFault", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("honours the shares", () => {
    const rng = new Prng(1);
    const shares = { transient: 0.25, timeout: 0, malformed: 0.25, reset: 0 };
    const counts = { transient: 0, malformed: 0, none: 0 };
    for (let i = 0; i < 4000; i++) {
      const kind = rollFault(shares, rng);
      if (kind === "transient" || kind === "malformed") counts[kind]++;
      else if (kind === null) counts.none++;
      else throw new Error(`unexpected ${kind}`);
    }
    expect(counts.transient / 4000).toBeCloseTo(0.25, 1);
    expect(counts.none / 4000).toBeCloseTo(0.5, 1);
  });
});

describe("injected faults", () => {
  it("transient: each vendor's own retryable codes", async () => {
    for (const vendor of ["ailab", "aigs", "tencent"] as const)
      sim.configure(vendor, { faults: { transient: 1 } });
    const ailab = await ailabCall();
    expect(ailab.status).toBeGreaterThanOrEqual(500);
    expect(AILAB_TRANSIENT_CODES).toContain(ailab.json.error_detail.code);
    const aigs = await postAigs(sim.urls.aigs, sim.credentials.aigsTokens[0] ?? "", {});
    expect([aigs.status, aigs.json.code]).toEqual([500, "unknown"]);
    const tencent = await callTencent({
      endpoint: sim.urls.tencent,
      secretId: sim.credentials.tencentSecretId,
      secretKey: sim.credentials.tencentSecretKey,
      body: {},
    });
    expect(tencent.status).toBe(200);
    expect(TENCENT_TRANSIENT_CODES).toContain(tencent.json.Response.Error?.Code);
    expect(sim.calls().map((c) => c.fault)).toEqual(["transient", "transient", "transient"]);
  });

  it("timeout: the answer never comes, until the client gives up", async () => {
    sim.configure("ailab", { faults: { timeout: 1 } });
    await expect(rawAilab(AbortSignal.timeout(300))).rejects.toThrow(/abort|timeout/i);
    expect(sim.calls()).toMatchObject([{ status: 0, code: "fault:timeout", fault: "timeout" }]);
  });

  it("reset: the connection is destroyed without an answer", async () => {
    sim.configure("ailab", { faults: { reset: 1 } });
    await expect(rawAilab()).rejects.toThrow(/fetch failed/);
    expect(sim.calls()).toMatchObject([{ status: 0, code: "fault:reset" }]);
  });

  it("malformed: HTTP 200 with an HTML page or cut-off JSON", async () => {
    sim.configure("ailab", { faults: { malformed: 1 } });
    const bodies = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const response = await rawAilab();
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(() => JSON.parse(text)).toThrow();
      bodies.add(text.startsWith("<html>") ? "html" : "json");
    }
    expect(bodies).toEqual(new Set(["html", "json"]));
    expect(sim.config("ailab").credits).toEqual({});
  });

  it("latency with jitter delays processed calls", async () => {
    sim.configure("ailab", { latencyMs: 120, latencyJitterMs: 50 });
    const started = performance.now();
    expect((await ailabCall()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    expect(sim.calls()[0]?.latencyMs).toBeGreaterThanOrEqual(115);
  });

  it("is deterministic for a seed: the same shares give the same sequence after reset", async () => {
    const run = async () => {
      sim.configure("aigs", { faults: { transient: 0.5 }, seed: 99 });
      const codes: string[] = [];
      for (let i = 0; i < 12; i++)
        codes.push((await postAigs(sim.urls.aigs, sim.credentials.aigsTokens[0] ?? "", {})).json.code);
      return codes;
    };
    const first = await run();
    sim.reset();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(["unknown", "invalid_post"]));
  });

  it("refuses shares that add up to more than 1", () => {
    expect(() => sim.configure("ailab", { faults: { transient: 0.6, reset: 0.6 } })).toThrow(/add up/);
    expect(() => sim.configure("ailab", { faults: { transient: 2 } })).toThrow(/faults.transient/);
  });
});
