import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem, type Json } from "./hostile/support";
import { runCli } from "./support/cli";
import { face, form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

/*
 * `facegate keys create|list|revoke`, run as an operator runs it (the bin shim, a child process)
 * with nothing but FACEGATE_URL and FACEGATE_ADMIN_KEY: no Redis address anywhere in its
 * environment. The key it prints once works at once and only for its tenant, and stops working
 * as soon as it is revoked.
 */

const ADMIN_KEY = "admin_cli_keys_0123456789";

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await t?.close();
});

/** `facegate …` with the admin key and the API's URL only; Redis settings are taken away. */
function facegate(args: string[], env: Record<string, string> = {}) {
  return runCli(args, {
    url: t.url,
    env: { FACEGATE_ADMIN_KEY: ADMIN_KEY, REDIS_URL: "", REDIS_PREFIX: "", ...env },
  });
}

const asKey = (key: string, path: string, init: RequestInit = {}) =>
  t.api(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } });

describe("facegate keys", () => {
  let created: Json;

  it("create prints a new key once, says so, and the key works for its tenant only", async () => {
    const human = await facegate(["keys", "create", "--tenant", "gamma", "--name", "ci"]);
    expect(human.code, human.stderr).toBe(0);
    const [shown] = /fg_[\w-]{40,}/.exec(human.stdout) ?? [];
    expect(shown).toBeDefined();
    expect(human.stdout).toMatch(/will not be shown again/);

    const json = await facegate(["keys", "create", "--tenant", "gamma", "--name", "deploy", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    created = JSON.parse(json.stdout) as Json;
    expect(created).toMatchObject({ tenant: "gamma", name: "deploy", source: "api", object: "api_key" });
    expect(created.id).toMatch(/^key_[0-9a-z]{29}$/);
    expect(created.key).toMatch(/^fg_[\w-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 7));

    // The new tenant works at once and sees only its own things.
    const res = await asKey(created.key, "/v1/jobs", {
      method: "POST",
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await face(40), template: await face(220) },
      ),
    });
    expect(res.status).toBe(202);
    const job = (await res.json()) as Json;
    expect((await waitForFinal((p) => asKey(created.key, p), job.id)).status).toBe("succeeded");
    await expectProblem(await t.api(`/v1/jobs/${job.id}`), 404, "not_found");
    expect(((await (await asKey(shown!, "/v1/jobs")).json()) as Json).data.map((j: Json) => j.id)).toEqual([
      job.id,
    ]);
  });

  it("list shows id, tenant, name, prefix, created and source, never a key", async () => {
    const human = await facegate(["keys", "list", "--tenant", "gamma"]);
    expect(human.code, human.stderr).toBe(0);
    const [header, ...rows] = human.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+TENANT\s+NAME\s+PREFIX\s+CREATED\s+SOURCE$/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      new RegExp(
        `^${created.id}\\s+gamma\\s+deploy\\s+${created.prefix}…\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+api$`,
      ),
    );
    expect(human.stdout).not.toContain(created.key);

    const json = await facegate(["keys", "list", "--tenant", "gamma", "--json"]);
    const listed = (JSON.parse(json.stdout) as Json).data as Json[];
    expect(listed.map((k) => k.name)).toEqual(["ci", "deploy"]);
    const { key: _secret, ...details } = created;
    expect(listed[1]).toEqual(details);
    expect(json.stdout).not.toContain(created.key);

    // Without --tenant: every tenant's keys, the bootstrap ones from API_KEYS among them.
    const all = JSON.parse((await facegate(["keys", "list", "--json"])).stdout) as Json;
    expect(new Set(all.data.map((k: Json) => k.tenant))).toEqual(new Set(["acme", "beta", "gamma"]));
  });

  it("revoke stops the key at once in the running API, without waiting out the auth cache", async () => {
    expect((await asKey(created.key, "/v1/jobs")).status).toBe(200); // cached as valid now
    const revoked = await facegate(["keys", "revoke", created.id, "--json"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: created.id, tenant: "gamma", revoked: true });
    await expectProblem(await asKey(created.key, "/v1/jobs"), 401, "unauthorized");
    const left = await facegate(["keys", "list", "--tenant", "gamma", "--json"]);
    expect((JSON.parse(left.stdout) as Json).data.map((k: Json) => k.id)).not.toContain(created.id);
  });

  it("revoke --tenant refuses another tenant's key, and leaves it working", async () => {
    const acme = (JSON.parse((await facegate(["keys", "list", "--tenant", "acme", "--json"])).stdout) as Json)
      .data[0];
    const foreign = await facegate(["keys", "revoke", acme.id, "--tenant", "gamma"]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/tenant gamma has no API key key_/);
    expect((await t.api("/v1/jobs")).status).toBe(200);
  });

  it("revoke of an unknown key fails with exit code 2 and the API's answer", async () => {
    const unknown = await facegate(["keys", "revoke", "key_000000000000000000000000000zz"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/error: not_found: no API key with this id \(HTTP 404\)/);
    expect((await t.api("/v1/jobs")).status).toBe(200);
  });

  it("revoke of a key from API_KEYS says it comes back at the next start unless removed there", async () => {
    const acme = (JSON.parse((await facegate(["keys", "list", "--tenant", "acme", "--json"])).stdout) as Json)
      .data[0];
    expect(acme.source).toBe("env");
    const revoked = await facegate(["keys", "revoke", acme.id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/API_KEYS/);
    await expectProblem(await asKey(TEST_KEYS.acme, "/v1/jobs"), 401, "unauthorized");
  });

  it("refuses a missing or wrong admin key, an unreachable server and bad arguments (exit code 2)", async () => {
    const noKey = await facegate(["keys", "list"], { FACEGATE_ADMIN_KEY: "" });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/FACEGATE_ADMIN_KEY is not set/);
    const wrong = await facegate(["keys", "list"], { FACEGATE_ADMIN_KEY: `${ADMIN_KEY}x` });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/error: unauthorized: .*\(HTTP 401\)/);
    const tenantKey = await facegate(["keys", "list"], { FACEGATE_ADMIN_KEY: TEST_KEYS.beta });
    expect(tenantKey.code).toBe(2);
    const unreachable = await runCli(["keys", "list"], {
      url: "http://127.0.0.1:1",
      env: { FACEGATE_ADMIN_KEY: ADMIN_KEY },
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/is it running\?/);
    const badTenant = await facegate(["keys", "create", "--tenant", "../acme"]);
    expect(badTenant.code).toBe(2);
    const noTenant = await facegate(["keys", "create"]);
    expect(noTenant.code).toBe(2);
  });
});
