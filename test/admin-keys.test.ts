import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, type Json } from "./hostile/support";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

/*
 * API key management over HTTP (`/v1/admin/keys`), with the admin key only: a key created here
 * works at once, is listed without its secret and is stored hashed, and stops working the moment
 * it is revoked. Without a configured admin key the admin routes say they are off.
 */

const ADMIN_KEY = "admin_keys_test_0123456789";

let t: TestSystem;
let off: TestSystem;

beforeAll(async () => {
  [t, off] = await Promise.all([startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY } }), startTestSystem()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), off?.close()]);
});

const admin = (path: string, init: RequestInit = {}) =>
  t.api(path, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...init.headers } });
const createKey = (body: unknown) =>
  admin("/v1/admin/keys", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const asKey = (key: string, path: string) => t.api(path, { headers: { authorization: `Bearer ${key}` } });

describe("/v1/admin/keys", () => {
  let created: Json;

  it("creates a key for a tenant: the secret once, working at once, stored only as a hash", async () => {
    const res = await createKey({ tenant: "delta", name: "ci" });
    expect(res.status).toBe(201);
    created = (await res.json()) as Json;
    expect(created).toEqual({
      id: expect.stringMatching(/^key_[0-9a-z]{29}$/),
      object: "api_key",
      tenant: "delta",
      name: "ci",
      prefix: created.key.slice(0, 7),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      source: "api",
      key: expect.stringMatching(/^fg_[\w-]{43}$/),
    });
    const jobs = await asKey(created.key, "/v1/jobs");
    expect(jobs.status).toBe(200);
    expect(((await jobs.json()) as Json).data).toEqual([]);

    const { redis, keys } = t.system.ctx;
    const stored = JSON.stringify(await redis.hgetall(keys.apiKeys));
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(created.key);
  });

  it("lists every tenant's keys, or one tenant's, never a secret", async () => {
    const all = await admin("/v1/admin/keys");
    expect(all.status).toBe(200);
    const text = await all.text();
    expect(text).not.toContain(created.key);
    const data = (JSON.parse(text) as Json).data as Json[];
    expect(data.map((k) => k.tenant).sort()).toEqual(["acme", "beta", "delta"]);
    expect(data.every((k) => !("key" in k))).toBe(true);

    const delta = (await (await admin("/v1/admin/keys?tenant=delta")).json()) as Json;
    const { key: _secret, ...details } = created;
    expect(delta.data).toEqual([details]);
    await expectProblem(await admin("/v1/admin/keys?tenant=../x"), 422, "validation_failed");
    await expectProblem(await admin("/v1/admin/keys?limit=3"), 422, "validation_failed");
  });

  it("revokes a key: refused at once, gone from the list, a second revoke is 404", async () => {
    expect((await asKey(created.key, "/v1/jobs")).status).toBe(200); // in the auth cache now
    const res = await admin(`/v1/admin/keys/${created.id}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: created.id, tenant: "delta", source: "api" });
    await expectProblem(await asKey(created.key, "/v1/jobs"), 401, "unauthorized");
    expect(((await (await admin("/v1/admin/keys?tenant=delta")).json()) as Json).data).toEqual([]);
    await expectProblem(await admin(`/v1/admin/keys/${created.id}`, { method: "DELETE" }), 404, "not_found");
    await expectProblem(await admin("/v1/admin/keys/not-an-id", { method: "DELETE" }), 404, "not_found");
  });

  it("refuses bad bodies with a problem, not a key", async () => {
    const bad = await expectProblem(await createKey({ tenant: "a/b" }), 422, "validation_failed");
    expect(bad.errors[0].path).toBe("tenant");
    await expectProblem(await createKey({ tenant: "x", role: "admin" }), 422, "validation_failed");
    await expectProblem(await createKey({ name: "no tenant" }), 422, "validation_failed");
    await expectProblem(await createKey({ tenant: "x", name: "a\nb" }), 422, "validation_failed");
    await expectProblem(
      await admin("/v1/admin/keys", { method: "POST", body: "tenant=x" }),
      415,
      "unsupported_media_type",
    );
    await expectProblem(
      await admin("/v1/admin/keys", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{",
      }),
      400,
      "malformed_json",
    );
    // A tenant named by default gets the default name.
    const named = (await (await createKey({ tenant: "epsilon" })).json()) as Json;
    expect(named.name).toBe("api");
  });

  it("takes the admin key only: a tenant's key, no key or a wrong one is 401", async () => {
    await expectProblem(await t.api("/v1/admin/keys"), 401, "unauthorized");
    await expectProblem(
      await t.api("/v1/admin/keys", { headers: { authorization: "" } }),
      401,
      "unauthorized",
    );
    await expectProblem(
      await admin("/v1/admin/keys", { headers: { authorization: `Bearer ${ADMIN_KEY}x` } }),
      401,
      "unauthorized",
    );
    await expectProblem(
      await t.api("/v1/admin/keys", {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEYS.beta}`, "content-type": "application/json" },
        body: JSON.stringify({ tenant: "beta" }),
      }),
      401,
      "unauthorized",
    );
    // …and the admin key is not a tenant's key.
    await expectProblem(await asKey(ADMIN_KEY, "/v1/jobs"), 401, "unauthorized");
    await expectProblem(await admin("/v1/admin/nothing-here"), 404, "not_found");
  });
});

describe("admin routes on a server without ADMIN_API_KEY", () => {
  it("say they are off and how to turn them on, instead of a bare 404", async () => {
    for (const path of ["/v1/admin/keys", "/admin/queues"]) {
      const body = await expectProblem(
        await off.api(path, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }),
        403,
        "admin_not_configured",
      );
      expect(body.detail).toMatch(/ADMIN_API_KEY/);
    }
  });
});
