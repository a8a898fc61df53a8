import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchApi } from "./support/api-responses";

/*
 * `npm start` as a newcomer runs it, with nothing configured: everything embedded, in a fresh
 * data directory. Its stdout is a pipe here (as under a process manager or `| tee log`), so the
 * dev keys must not appear in it — the banner names the files that hold them. The admin routes
 * work with the dev admin key it made.
 */

const ROOT = join(import.meta.dirname, "..");
/** Variables that would make `npm start` use something other than its embedded defaults. */
const CONFIGURED = /^(REDIS_|S3_|AILAB_|AIGS_|TENCENT_|API_KEYS$|ADMIN_API_KEY$|PORT$|LOG_)/;

let child: ChildProcess;
let dataDir: string;
let output = "";
let url: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "facegate-start-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CONFIGURED.test(name)));
  child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "apps/standalone/src/main.ts")], {
    cwd: ROOT,
    env: { ...env, PORT: "0", FACEGATE_DATA_DIR: dataDir, NODE_ENV: "development" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => child.once("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const api = /API {7}(http:\/\/[\d.:]+)/.exec(output);
      if (api && output.includes("Ctrl-C stops everything.")) {
        url = api[1]!;
        watchApi(url);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const devKey = (name: string) => readFileSync(join(dataDir, name), "utf8").trim();

describe("npm start with nothing configured", () => {
  it("keeps a dev API key and a dev admin key in its data directory and says where", () => {
    expect(devKey("dev-api-key")).toMatch(/^fg_dev_[\w-]{32}$/);
    expect(devKey("dev-admin-key")).toMatch(/^fg_admin_[\w-]{32}$/);
    expect(output).toContain(`API key   in ${join(dataDir, "dev-api-key")}`);
    expect(output).toContain(`Admin key in ${join(dataDir, "dev-admin-key")}`);
  });

  it("opens the queue dashboard and key management with the dev admin key", async () => {
    const basic = Buffer.from(`admin:${devKey("dev-admin-key")}`).toString("base64");
    const dashboard = await fetch(`${url}/admin/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(dashboard.status).toBe(200);
    await dashboard.body?.cancel();
    const keys = await fetch(`${url}/v1/admin/keys`, {
      headers: { authorization: `Bearer ${devKey("dev-admin-key")}` },
    });
    expect(keys.status).toBe(200);
    expect(((await keys.json()) as { data: { tenant: string }[] }).data.map((k) => k.tenant)).toEqual([
      "dev",
    ]);
    const jobs = await fetch(`${url}/v1/jobs`, {
      headers: { authorization: `Bearer ${devKey("dev-api-key")}` },
    });
    expect(jobs.status).toBe(200);
  });

  it("never writes a key to a stdout that is not a terminal, banner and logs alike, nor a warning", async () => {
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("facegate is running");
    // A start is quiet on every Node that runs it (Node 20 included: the AWS SDK's notice is off).
    expect(output).not.toMatch(/NodeVersionSupportWarning|\(node:\d+\) Warning/);
    expect(output).not.toContain(devKey("dev-api-key"));
    expect(output).not.toContain(devKey("dev-admin-key"));
  });
});
