import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { describeEvent } from "./describe";
import { type RunningListener, startWebhookListener } from "./listener";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

function signed(secret: string, body: string, id = "msg_1") {
  const now = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, now, body),
  };
}

describe("describeEvent", () => {
  it("puts type, subject, status (with the error code) and the verdict on one line", () => {
    const at = new Date(2026, 0, 1, 14, 3, 27);
    const body = {
      type: "job.failed",
      data: { id: "job_1", status: "failed", error: { code: "no_face_detected" } },
    };
    expect(describeEvent({ at, webhookId: "msg_1", body, verified: true })).toBe(
      "14:03:27  job.failed       job_1  failed (no_face_detected)  verified  msg_1",
    );
    expect(describeEvent({ at, webhookId: undefined, body: undefined, verified: false, reason: "bad" })).toBe(
      "14:03:27  (no type)        -  -  NOT verified: bad  (no webhook-id)",
    );
  });
});

describe("startWebhookListener", () => {
  let listener: RunningListener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  it("accepts what any of its secrets verifies, refuses the rest with 401", async () => {
    const lines: string[] = [];
    listener = await startWebhookListener({ port: 0, secrets: [OTHER, SECRET], print: (l) => lines.push(l) });
    const body = JSON.stringify({ type: "batch.completed", data: { id: "bat_1", status: "completed" } });
    const ok = await fetch(listener.url, { method: "POST", headers: signed(SECRET, body), body });
    expect(ok.status).toBe(200);
    const forged = await fetch(listener.url, {
      method: "POST",
      headers: signed("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body, "msg_2"),
      body,
    });
    expect(forged.status).toBe(401);
    expect(lines[0]).toMatch(/batch\.completed +bat_1 {2}completed {2}verified {2}msg_1$/);
    expect(lines[1]).toMatch(/NOT verified: No matching signature found {2}msg_2$/);
    expect((await fetch(listener.url)).status).toBe(405);
  });

  it("forwards verified requests and answers with the target's answer; 502 when it is down", async () => {
    const target = await startWebhookListener({ port: 0, secrets: [SECRET], print: () => {} });
    const lines: string[] = [];
    listener = await startWebhookListener({
      port: 0,
      secrets: [SECRET],
      forwardTo: target.url,
      print: (l) => lines.push(l),
    });
    const body = JSON.stringify({ type: "job.succeeded", data: { id: "job_1", status: "succeeded" } });
    // The target verifies the forwarded request itself: headers and body arrive unchanged.
    expect((await fetch(listener.url, { method: "POST", headers: signed(SECRET, body), body })).status).toBe(
      200,
    );
    await target.close();
    expect((await fetch(listener.url, { method: "POST", headers: signed(SECRET, body), body })).status).toBe(
      502,
    );
    expect(lines.filter((l) => l.startsWith(`  → ${target.url} answered 200 in `))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith(`  → ${target.url} failed: `))).toHaveLength(1);
  });
});
