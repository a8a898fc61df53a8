import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";
import { expectProblem, type Json } from "./support";

/*
 * `facegate keys create|list|revoke --tenant …`, run as an operator runs it (the bin shim, a
 * child process talking to facegate's Redis), against a running system: the key it prints once
 * works at once and only for its tenant, is stored hashed, and stops working as soon as it is
 * revoked (API processes hear revocations; no waiting out the auth cache).
 */

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "apps", "cli", "bin", "facegate.js");

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

/** Run `facegate …` with the system's Redis; resolves with its exit code and output. */
function facegate(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: t.env.REDIS_URL, REDIS_PREFIX: t.env.REDIS_PREFIX, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
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
    expect(created).toMatchObject({ tenant: "gamma", name: "deploy", source: "cli" });
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

  it("keeps only the key's hash", async () => {
    const { redis, keys } = t.system.ctx;
    const stored = JSON.stringify(await redis.hgetall(keys.apiKeys));
    expect(stored).toContain(created.id);
    expect(stored).not.toContain(created.key);
  });

  it("list shows id, name, prefix, created and source, never a key", async () => {
    const human = await facegate(["keys", "list", "--tenant", "gamma"]);
    expect(human.code, human.stderr).toBe(0);
    const [header, ...rows] = human.stdout.trim().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+PREFIX\s+CREATED\s+SOURCE$/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(
      new RegExp(
        `^${created.id}\\s+deploy\\s+${created.prefix}…\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+cli$`,
      ),
    );
    expect(human.stdout).not.toContain(created.key);

    const json = await facegate(["keys", "list", "--tenant", "gamma", "--json"]);
    const listed = (JSON.parse(json.stdout) as Json).data as Json[];
    expect(listed.map((k) => k.name)).toEqual(["ci", "deploy"]);
    expect(listed[1]).toEqual({
      id: created.id,
      tenant: "gamma",
      name: "deploy",
      prefix: created.prefix,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      source: "cli",
    });
    expect(json.stdout).not.toContain(created.key);
  });

  it("revoke stops the key at once in the running API, without waiting out the auth cache", async () => {
    expect((await asKey(created.key, "/v1/jobs")).status).toBe(200); // cached as valid now
    const revoked = await facegate(["keys", "revoke", created.id, "--tenant", "gamma", "--json"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: created.id, revoked: true });
    // The revocation is published; the API drops the cached key when it hears it (well under
    // the 5 s the cache would otherwise keep it).
    const deadline = Date.now() + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await asKey(created.key, "/v1/jobs")).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    await expectProblem(await asKey(created.key, "/v1/jobs"), 401, "unauthorized");
    const left = await facegate(["keys", "list", "--tenant", "gamma", "--json"]);
    expect((JSON.parse(left.stdout) as Json).data.map((k: Json) => k.id)).not.toContain(created.id);
  });

  it("revoke of an unknown key, or of another tenant's key, fails with exit code 2", async () => {
    const unknown = await facegate([
      "keys",
      "revoke",
      "key_000000000000000000000000000zz",
      "--tenant",
      "gamma",
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/tenant gamma has no API key key_0+zz/);
    const acmeKey = (await facegate(["keys", "list", "--tenant", "acme", "--json"])).stdout;
    const acmeId = (JSON.parse(acmeKey) as Json).data[0].id as string;
    const foreign = await facegate(["keys", "revoke", acmeId, "--tenant", "gamma"]);
    expect(foreign.code).toBe(2);
    expect((await t.api("/v1/jobs")).status).toBe(200);
  });

  it("revoke of a key from API_KEYS says it comes back at the next start unless removed there", async () => {
    const acmeId = (
      JSON.parse((await facegate(["keys", "list", "--tenant", "acme", "--json"])).stdout) as Json
    ).data[0];
    expect(acmeId.source).toBe("env");
    const revoked = await facegate(["keys", "revoke", acmeId.id, "--tenant", "acme"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/API_KEYS/);
    await new Promise((r) => setTimeout(r, 200));
    await expectProblem(await asKey(TEST_KEYS.acme, "/v1/jobs"), 401, "unauthorized");
  });

  it("refuses bad arguments and a missing or unreachable Redis clearly (exit code 2)", async () => {
    const noRedis = await facegate(["keys", "list", "--tenant", "gamma"], { REDIS_URL: "" });
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/REDIS_URL is not set/);
    const unreachable = await facegate(["keys", "list", "--tenant", "gamma"], {
      REDIS_URL: "redis://:pw@127.0.0.1:1",
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(unreachable.stderr).not.toContain(":pw@");
    const badTenant = await facegate(["keys", "create", "--tenant", "../acme"]);
    expect(badTenant.code).toBe(2);
    const noTenant = await facegate(["keys", "create"]);
    expect(noTenant.code).toBe(2);
  });
});
