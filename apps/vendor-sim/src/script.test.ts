import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AIGS_CODES } from "./aigs/errors";
import { AILAB_STATUS } from "./ailab/errors";
import { startVendorSim, type VendorSim } from "./index";
import { TENCENT_CODES } from "./tencent/errors";
import { postAigs, postAilab } from "./testing/clients";
import { face } from "./testing/fixtures";
import { callTencent } from "./testing/tencent-client";

// Scripted answers: every documented code of every vendor, with that vendor's status and envelope.

let sim: VendorSim;
let target: Buffer;

beforeAll(async () => {
  sim = await startVendorSim();
  target = await face();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const ailabCall = (key = sim.credentials.ailabApiKey) =>
  postAilab(sim.urls.ailab, "emotion-editor", { service_choice: "10" }, key);
const aigsCall = () => postAigs(sim.urls.aigs, sim.credentials.aigsTokens[0] ?? "", {});
const tencentCall = () =>
  callTencent({
    endpoint: sim.urls.tencent,
    secretId: sim.credentials.tencentSecretId,
    secretKey: sim.credentials.tencentSecretKey,
    body: { MergeInfos: [{ Image: target.toString("base64") }] },
  });

describe("scripted answers", () => {
  it("answers every AILab code with its HTTP status and the full envelope", async () => {
    const codes = [...AILAB_STATUS.keys()];
    sim.configure("ailab", { script: codes.map((code) => ({ code })) });
    for (const code of codes) {
      const { status, json } = await ailabCall();
      expect([code, status]).toEqual([code, AILAB_STATUS.get(code)]);
      expect(json.error_code).toBe(status);
      expect(json.error_detail).toMatchObject({ status_code: status, code });
    }
    expect(sim.calls().every((c) => c.scripted)).toBe(true);
    // The queue is used up: the next call is processed normally (a parameter error here).
    expect((await ailabCall()).json.error_detail.code).toBe("MISSING_PARAMETERS");
  });

  it("lets a script override the status, e.g. the legacy 422 EXCEEDING_LIMITS, and the message", async () => {
    sim.configure("ailab", { script: [{ code: "EXCEEDING_LIMITS", status: 422, message: "slow down" }] });
    const { status, json } = await ailabCall("a key the script ignores");
    expect(status).toBe(422);
    expect(json.error_detail).toMatchObject({
      code: "EXCEEDING_LIMITS",
      message: "slow down",
      status_code: 422,
    });
  });

  it("answers every ai-gs code with its status, task_id on the 402s", async () => {
    const codes = Object.keys(AIGS_CODES);
    sim.configure("aigs", { script: codes.map((code) => ({ code })) });
    for (const code of codes) {
      const { status, json } = await aigsCall();
      expect([json.code, status]).toEqual([code, AIGS_CODES[code]?.status]);
      expect(json.task_id !== undefined).toBe(status === 402);
    }
  });

  it("answers every Tencent code as HTTP 200 with Response.Error, and hashes the target", async () => {
    sim.configure("tencent", { script: TENCENT_CODES.map((code) => ({ code })) });
    for (const code of TENCENT_CODES) {
      const { status, json } = await tencentCall();
      expect(status).toBe(200);
      expect(json.Response.Error?.Code).toBe(code);
      expect(json.Response.RequestId).toEqual(expect.any(String));
    }
    expect(sim.calls()[0]?.targetSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("mixes codes, faults and normal answers in order", async () => {
    sim.configure("aigs", {
      script: [{ code: "forbidden" }, { ok: true }, { fault: "malformed" }, { code: "false" }],
    });
    expect((await aigsCall()).json.code).toBe("forbidden");
    expect((await aigsCall()).json.code).toBe("invalid_post");
    const malformed = await fetch(`${sim.urls.aigs}/v1/faceswap?token=x`, { method: "POST", body: "{}" });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    expect((await aigsCall()).json.code).toBe("false");
  });

  it("refuses codes the vendor does not document, and leaves the queue unchanged", () => {
    sim.configure("tencent", { script: [{ code: "InternalError" }] });
    expect(() => sim.configure("tencent", { script: [{ code: "NotACode" }] })).toThrow(
      /unknown Tencent error code/,
    );
    expect(() => sim.configure("aigs", { script: [{ code: "success" }] })).toThrow(
      /unknown ai-gs error code/,
    );
    expect(() => sim.configure("ailab", { script: [{ code: "ERROR_NOPE" }] })).toThrow(
      /unknown AILab error code/,
    );
    expect(sim.config("tencent").script).toEqual([{ code: "InternalError" }]);
  });
});
