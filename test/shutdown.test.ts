import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INTERRUPTED_EXIT_CODE } from "@facegate/core";
import { createRedis } from "@facegate/queue";
import { afterEach, expect, it } from "vitest";

/** Stopping real processes: bounded whatever is down, and a second signal exits at once. */
const ROOT = join(import.meta.dirname, "..");
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A node process running `args`, its output collected; `until(text)` resolves once it printed it. */
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_PRETTY: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    until: (text: string) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void exited.then(() => reject(new Error(`exited before printing ${text}:\n${out}`)));
      }),
  };
}

it("npm start with its Redis killed: Ctrl-C stops, a second Ctrl-C exits at once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "facegate-stop-"));
  dirs.push(dir);
  const app = run(["apps/standalone/src/main.ts"], { PORT: "0", FACEGATE_DATA_DIR: dir });
  await app.until("facegate is running");
  const api = /API\s+(http:\/\/\S+)/.exec(app.output())![1]!;
  const sim = /Vendors\s+(http:\/\/\S+)/.exec(app.output())![1]!;
  const key = readFileSync(join(dir, "dev-api-key"), "utf8").trim();

  // A vendor call in flight for a minute: a stop waits for calls already sent, so the first Ctrl-C
  // cannot have finished the stop before the second arrives (without one, a stop with nothing to
  // wait for may end first, and the second signal finds no stop to cut short).
  const configured = await fetch(`${sim}/_sim/configure/ailab`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ latencyMs: 60_000 }),
  });
  expect(configured.ok).toBe(true);
  const form = new FormData();
  form.set("operation", "face_fusion");
  form.set("vendor", "ailab");
  for (const [role, file] of [
    ["target", "face.jpg"],
    ["template", "template.jpg"],
  ] as const) {
    form.set(role, new Blob([readFileSync(join(ROOT, "examples", file))], { type: "image/jpeg" }), file);
  }
  const created = await fetch(`${api}/v1/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  expect(created.status).toBe(202);
  const { id } = (await created.json()) as { id: string };
  // `running` once its call is written down, and from then on tracked by the stop.
  for (;;) {
    const res = await fetch(`${api}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${key}` } });
    if (((await res.json()) as { status: string }).status === "running") break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const redisUrl = /Redis\s+(redis:\/\/\S+)/.exec(app.output())![1]!;
  const redis = createRedis(redisUrl, "worker");
  const pid = Number(/process_id:(\d+)/.exec(await redis.info("server"))![1]);
  redis.disconnect();
  process.kill(pid, "SIGKILL");

  app.child.kill("SIGINT");
  await app.until('"stopping');
  app.child.kill("SIGINT");
  expect(await app.exited).toBe(INTERRUPTED_EXIT_CODE);
  expect(app.output()).toContain("second signal: exiting now");
});

it("a shutdown that cannot finish is cut off at its bound", async () => {
  const script = [
    'import { stopOnSignals } from "@facegate/core";',
    "const log = (m) => (f, msg) => console.log(JSON.stringify({ ...f, msg }));",
    "stopOnSignals({ info: log(), warn: log(), error: log() }, () => new Promise(() => {}), 200);",
    'console.log("ready");',
    "setInterval(() => {}, 1000);",
  ].join("\n");
  const proc = run(["--input-type=module", "-e", script]);
  await proc.until("ready");
  proc.child.kill("SIGTERM");
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain("shutdown did not finish in time");
});
