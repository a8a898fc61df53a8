import { Writable } from "node:stream";
import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { type RunningSystem, startSystem } from "@facegate/standalone";
import { startVendorSim, type VendorSim } from "@facegate/vendor-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchApi } from "../support/api-responses";
import { face, waitForFinal } from "../support/images";
import { type Receiver, startReceiver } from "../support/receiver";
import { dropPrefix } from "../support/redis-clean";
import { TEST_KEYS, testEnv } from "../support/test-env";
import { until } from "../support/until";
import { type ImageServer, type Json, startImageServer } from "./support";

/*
 * No secret reaches a log line. A whole system logs at `debug` into a captured stream while jobs
 * run on every vendor (with faults, so retries and failures log too), inputs come as base64 and
 * by URL, webhooks go to a receiver that fails first and to a registered endpoint, presigned links
 * are handed out and a few requests are refused. Then the captured text is searched for every
 * secret involved.
 */

const ADMIN_KEY = "admin_log_redaction_key_42";
const URL_SECRET = "query-secret-0f9e8d7c6b5a";

let sim: VendorSim;
let receiver: Receiver;
let images: ImageServer;
let system: RunningSystem;
let env: Record<string, string>;
let text = "";
const lines: Json[] = [];
const seen: { target?: Buffer; tenantSecret?: string; endpointSecret?: string; presigned: string[] } = {
  presigned: [],
};

beforeAll(async () => {
  sim = await startVendorSim();
  receiver = await startReceiver();
  images = await startImageServer();
  env = testEnv(sim, {
    EGRESS_ALLOWLIST: `${receiver.hostPort},${images.hostPort}`,
    LOG_LEVEL: "debug",
    ADMIN_API_KEY: ADMIN_KEY,
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line) as Json);
      done();
    },
  });
  system = await startSystem(loadConfig(env), createLogger({ level: "debug", destination }), {
    host: "127.0.0.1",
  });
  watchApi(system.api.url);
});
afterAll(async () => {
  await system?.close();
  if (system) await dropPrefix(env.REDIS_URL!, env.REDIS_PREFIX!);
  await receiver?.close();
  await images?.close();
  await sim?.close();
});

function api(path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${init.key ?? TEST_KEYS.acme}`);
  return fetch(`${system.api.url}${path}`, { ...init, headers, redirect: "manual" });
}

async function run(body: Json): Promise<Json> {
  const res = await api("/v1/jobs", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": `idem-${Math.random()}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  const job = (await waitForFinal((p) => api(p), ((await res.json()) as Json).id, 30_000)) as Json;
  if (job.output) seen.presigned.push(job.output.url);
  return job;
}

describe("logs", () => {
  it("run full jobs with webhooks, retries and refusals at debug level", async () => {
    seen.target = await face(70);
    const template = await face(230);
    const b64 = (bytes: Buffer) => ({ base64: bytes.toString("base64") });
    images.serve(`/t.jpg?sig=${URL_SECRET}`, template);

    seen.tenantSecret = ((await (await api("/v1/webhook-secret")).json()) as Json).secret;
    const endpoint = await api("/v1/webhook-endpoints", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${receiver.url}/endpoint?token=${URL_SECRET}` }),
    });
    seen.endpointSecret = ((await endpoint.json()) as Json).secret;
    // The receiver refuses the first deliveries: failures and retries are logged.
    receiver.script([500, 503]);

    // Faults on every vendor: transport errors, malformed answers and vendor errors get logged.
    sim.configure("ailab", { script: [{ fault: "transient" }] });
    sim.configure("aigs", { script: [{ fault: "reset" }, { fault: "malformed" }] });
    sim.configure("tencent", { script: [{ fault: "transient" }] });
    const webhook_url = `${receiver.url}/job?token=${URL_SECRET}`;
    const jobs = [
      await run({
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: b64(seen.target), template: { url: `${images.url}/t.jpg?sig=${URL_SECRET}` } },
        webhook_url,
      }),
      await run({
        operation: "face_fusion",
        vendor: "aigs",
        inputs: { target: b64(seen.target), template: b64(template) },
        webhook_url,
      }),
      await run({
        operation: "face_fusion",
        vendor: "tencent",
        inputs: { target: b64(seen.target) },
        webhook_url,
      }),
      await run({
        operation: "expression",
        vendor: "ailab",
        inputs: { target: b64(seen.target) },
        params: { expression: "big_grin" },
      }),
    ];
    expect(jobs.map((j) => j.status)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    await receiver.waitFor(5);

    // Presigned links handed out again, and through the output redirect.
    const output = await api(`/v1/jobs/${jobs[0]!.id}/output`);
    seen.presigned.push(output.headers.get("location")!);
    // Refusals: a wrong key, an admin key on a tenant route, a URL with credentials in it.
    await api("/v1/jobs", { key: "fg_wrong_key_that_must_not_be_logged" });
    await api("/admin/queues", { headers: { authorization: `Bearer ${ADMIN_KEY}x` } });
    await api("/v1/jobs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: { url: `http://user:${URL_SECRET}@example.com/a.jpg` }, template: b64(template) },
      }),
    });
    // Erase one job: its deletion is logged too.
    await api(`/v1/jobs/${jobs[1]!.id}`, { method: "DELETE" });
    const erased = async () =>
      ((await (await api(`/v1/jobs/${jobs[1]!.id}`)).json()) as Json).erased_at != null;
    await until(erased, 10_000, "the job erased");
    await until(
      () => lines.some((l) => String(l.msg).startsWith("webhook delivery failed")),
      10_000,
      "a failed delivery logged",
    );

    expect(lines.length).toBeGreaterThan(30);
    expect(lines.some((l) => l.msg === "vendor answered")).toBe(true);
  });

  it("hold no API key, admin key, webhook secret, vendor credential or S3 secret", () => {
    const secrets: Record<string, string> = {
      "acme API key": TEST_KEYS.acme,
      "beta API key": TEST_KEYS.beta,
      "wrong API key": "fg_wrong_key_that_must_not_be_logged",
      "admin key": ADMIN_KEY,
      "tenant webhook secret": seen.tenantSecret!,
      "tenant webhook secret (bare)": seen.tenantSecret!.replace(/^whsec_/, ""),
      "endpoint webhook secret": seen.endpointSecret!.replace(/^whsec_/, ""),
      "AILab API key": sim.credentials.ailabApiKey,
      "Tencent SecretKey": sim.credentials.tencentSecretKey,
      "S3 secret access key": env.S3_SECRET_ACCESS_KEY!,
      "a secret in a user's URL": URL_SECRET,
    };
    for (const token of sim.credentials.aigsTokens) secrets[`ai-gs token ${token}`] = token;
    for (const [what, secret] of Object.entries(secrets)) {
      expect(secret.length, what).toBeGreaterThan(5);
      expect(text.includes(secret), `${what} is in the logs`).toBe(false);
    }
  });

  it("hold no presigned URL and no signature of one", () => {
    expect(seen.presigned.length).toBeGreaterThan(3);
    expect(text).not.toMatch(/X-Amz-Signature/i);
    expect(text).not.toMatch(/X-Amz-Credential/i);
    for (const url of seen.presigned) {
      expect(text.includes(new URL(url).searchParams.get("X-Amz-Signature")!)).toBe(false);
    }
  });

  it("hold no image bytes, in base64 or otherwise", () => {
    const b64 = seen.target!.toString("base64");
    // Any 64-character stretch of the input's base64, from anywhere in it.
    for (let at = 0; at + 64 <= b64.length; at += Math.floor(b64.length / 20))
      expect(text.includes(b64.slice(at, at + 64))).toBe(false);
    // No long base64 run at all, whatever image it came from.
    expect(text).not.toMatch(/[A-Za-z0-9+/]{200,}/);
    expect(text.includes(seen.target!.subarray(200, 232).toString("hex"))).toBe(false);
  });

  it("carry a request id on every line written while serving a request", () => {
    const requestLines = lines.filter((l) => l.msg === "request");
    expect(requestLines.length).toBeGreaterThan(5);
    for (const line of requestLines) expect(line.requestId).toMatch(/^[\w.-]{8,128}$/);
  });
});
