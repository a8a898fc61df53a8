import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../../../../test/support/until";
import { startVendorSim, type VendorSim } from "../index";
import { postAigs } from "../testing/clients";

// The /_sim controls, driven over HTTP only, as a test in another process would.

let sim: VendorSim;
let base: string;

beforeAll(async () => {
  sim = await startVendorSim();
  base = `${sim.url}/_sim`;
});
afterAll(() => sim.close());

const json = (method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("/_sim", () => {
  it("describes the simulator: URLs and credentials", async () => {
    const described = (await (await json("GET", "")).json()) as Pick<
      VendorSim,
      "url" | "urls" | "credentials"
    >;
    expect(described).toEqual({ url: sim.url, urls: sim.urls, credentials: sim.credentials });
    expect(described.credentials).toMatchObject({
      ailabApiKey: "sim-ailab-key",
      aigsTokens: ["sim-aigs-token-1", "sim-aigs-token-2", "sim-aigs-token-3"],
      tencentProjectId: "at_sim_project",
      tencentModelId: "mt_sim_model",
      tencentFaceIds: ["mt_sim_model_1", "mt_sim_model_2"],
    });
  });

  it("configures a vendor, lists and clears calls, and resets", async () => {
    expect(
      (await json("POST", "/configure/aigs", { script: [{ code: "used_up" }], latencyMs: 5 })).status,
    ).toBe(204);
    expect(await (await json("GET", "/config/aigs")).json()).toMatchObject({
      latencyMs: 5,
      rateLimitPerSecond: 1,
      script: [{ code: "used_up" }],
    });
    expect((await postAigs(sim.urls.aigs, "any", {})).json.code).toBe("used_up");

    const calls = (await (await json("GET", "/calls?vendor=aigs")).json()) as unknown[];
    expect(calls).toMatchObject([{ vendor: "aigs", code: "used_up", status: 403, scripted: true }]);
    expect(await (await json("GET", "/calls?vendor=ailab")).json()).toEqual([]);
    expect((await json("DELETE", "/calls")).status).toBe(204);
    expect(await (await json("GET", "/calls")).json()).toEqual([]);

    expect((await json("POST", "/reset")).status).toBe(204);
    expect(await (await json("GET", "/config/aigs")).json()).toMatchObject({ latencyMs: 0, script: [] });
  });

  it("counts calls in flight and marks answers whose caller had gone", async () => {
    // The answer is held long enough for the caller to give up first.
    sim.configure("aigs", { script: [{ code: "used_up", delayMs: 3_000 }] });
    const caller = new AbortController();
    const call = fetch(`${sim.urls.aigs}/v1/faceswap?token=any`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
      signal: caller.signal,
    }).catch(() => "aborted");
    const inFlight = async () => (await (await json("GET", "/in-flight")).json()) as Record<string, number>;
    await until(async () => (await inFlight()).aigs === 1);
    caller.abort();
    expect(await call).toBe("aborted");
    await until(async () => sim.calls({ vendor: "aigs" }).length === 1);
    expect(sim.calls({ vendor: "aigs" })[0]).toMatchObject({ code: "used_up", clientGone: true });
    expect(await inFlight()).toEqual({ ailab: 0, aigs: 0, tencent: 0 });
    sim.reset();
  });

  it("refuses bad patches with 400 and the problems, unknown vendors with 404", async () => {
    const bad = await json("POST", "/configure/tencent", { rateLimitPerSecond: -1, colour: "blue" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/rateLimitPerSecond/);
    expect((await json("POST", "/configure/acme", {})).status).toBe(404);
    const broken = await fetch(`${base}/configure/ailab`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(broken.status).toBe(400);
  });
});
