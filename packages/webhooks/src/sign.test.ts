import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signingSecrets } from "./secrets";
import { signWebhook } from "./sign";

const body = JSON.stringify({
  type: "job.succeeded",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: { id: "job_1" },
});

describe("signWebhook", () => {
  it("produces Standard Webhooks headers that the standardwebhooks package verifies", () => {
    const secret = newWebhookSecret();
    const at = new Date();
    const headers = signWebhook("msg_1", body, [secret], at);
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-timestamp"]).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it("signs with every live secret during a rotation, each signature on its own", () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signWebhook("msg_2", body, [current, previous]);
    const [first, second] = headers["webhook-signature"].split(" ");
    expect(new Webhook(current).verify(body, { ...headers, "webhook-signature": first! })).toBeTruthy();
    expect(new Webhook(previous).verify(body, { ...headers, "webhook-signature": second! })).toBeTruthy();
    expect(() => new Webhook(current).verify(body, { ...headers, "webhook-signature": second! })).toThrow();
  });
});

describe("secrets", () => {
  it("are whsec_ and base64 of at least 24 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64").length).toBeGreaterThanOrEqual(24);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("sign with the previous secret too until the overlap ends", () => {
    const state = { current: "whsec_new", previous: "whsec_old", previousUntil: 1_000 };
    expect(signingSecrets(state, 999)).toEqual(["whsec_new", "whsec_old"]);
    expect(signingSecrets(state, 1_000)).toEqual(["whsec_new"]);
    expect(signingSecrets({ current: "whsec_only" }, 0)).toEqual(["whsec_only"]);
  });
});
