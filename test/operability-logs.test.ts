import { Writable } from "node:stream";
import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { type RunningSystem, startSystem } from "@facegate/standalone";
import { startVendorSim, type VendorSim } from "@facegate/vendor-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blank, face, form, waitForFinal } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { dropPrefix } from "./support/redis-clean";
import { TEST_KEYS, testEnv } from "./support/test-env";

type Line = Record<string, unknown> & { msg: string };

let sim: VendorSim;
let receiver: Receiver;
let system: RunningSystem;
const lines: Line[] = [];

beforeAll(async () => {
  sim = await startVendorSim();
  receiver = await startReceiver();
  receiver.respond(500);
  const config = loadConfig(testEnv(sim, { EGRESS_ALLOWLIST: receiver.hostPort, LOG_LEVEL: "debug" }));
  // The production logger (JSON lines), captured.
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split("\n")) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  system = await startSystem(config, logger, { host: "127.0.0.1" });
});
afterAll(async () => {
  await system?.close();
  if (system) await dropPrefix(system.ctx.config.redis, system.ctx.config.redis.prefix);
  await receiver?.close();
  await sim?.close();
});

describe("one request id", () => {
  it("runs from the HTTP request through the queue, the vendor call and the webhook", async () => {
    const requestId = "trace-0123456789abcdef";
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${system.api.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${TEST_KEYS.acme}`, "x-request-id": requestId, ...init.headers },
      });
    const res = await api("/v1/jobs", {
      method: "POST",
      body: form(
        { operation: "face_fusion", vendor: "ailab", webhook_url: receiver.url },
        { target: await face(70), template: await face(230) },
      ),
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const { id } = (await res.json()) as { id: string };
    await waitForFinal(
      (p) => fetch(`${system.api.url}${p}`, { headers: { authorization: `Bearer ${TEST_KEYS.acme}` } }),
      id,
    );
    // The receiver refuses every attempt, so the delivery logs its failures.
    await receiver.waitFor(2);
    const deadline = Date.now() + 5_000;
    while (!lines.some((l) => l.msg.startsWith("webhook delivery failed")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }

    const traced = (msg: string) => lines.filter((l) => l.msg.startsWith(msg) && l.requestId === requestId);
    expect(traced("request"), "access log").not.toHaveLength(0);
    expect(traced("vendor answered"), "vendor call").toHaveLength(1);
    expect(traced("vendor answered")[0]).toMatchObject({ jobId: id, vendor: "ailab" });
    expect(traced("job finished")[0]).toMatchObject({ jobId: id, status: "succeeded" });
    expect(traced("webhook delivery failed"), "webhook delivery").not.toHaveLength(0);
    expect(traced("webhook delivery failed")[0]).toMatchObject({ jobId: id, event: "job.succeeded" });

    // JSON lines with no secret in them: the API key never reaches a log.
    expect(JSON.stringify(lines)).not.toContain(TEST_KEYS.acme);
  });
});

describe("log levels", () => {
  it("a job failing on what its caller sent is logged at info, not error", async () => {
    const res = await fetch(`${system.api.url}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEYS.acme}` },
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await blank(), template: await face(230) },
      ),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const done = (await waitForFinal(
      (p) => fetch(`${system.api.url}${p}`, { headers: { authorization: `Bearer ${TEST_KEYS.acme}` } }),
      id,
    )) as { status: string; error: { code: string } };
    expect(done).toMatchObject({ status: "failed", error: { code: "no_face_detected" } });
    const failed = lines.filter((l) => l.jobId === id && l.msg === "job failed");
    expect(failed).toHaveLength(1);
    // pino's levels: 30 info, 50 error.
    expect(failed[0]).toMatchObject({ level: 30, code: "no_face_detected" });
    expect(lines.filter((l) => l.jobId === id && (l.level as number) >= 50)).toEqual([]);
  });
});
