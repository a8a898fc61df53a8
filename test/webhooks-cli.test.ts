import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { freePort } from "@facegate/queue";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blank, face, form } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

/*
 * `facegate webhooks listen`, run as a user runs it (the bin shim, a child process), as the
 * webhook_url of real jobs: it verifies, prints, forwards, refuses forgeries, stops on Ctrl-C.
 */

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "apps", "cli", "bin", "facegate.js");

let t: TestSystem;
let app: Receiver;
let port: number;
let cli: ChildProcess;
const output: string[] = [];

beforeAll(async () => {
  port = await freePort();
  app = await startReceiver();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: `127.0.0.1:${port}` } });
  cli = spawn(
    process.execPath,
    [BIN, "webhooks", "listen", "--port", String(port), "--forward-to", `${app.url}/from-cli`],
    {
      cwd: ROOT,
      env: { ...process.env, FACEGATE_URL: t.url, FACEGATE_API_KEY: TEST_KEYS.acme },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let partial = "";
  cli.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    output.push(...lines);
  });
  cli.stderr!.on("data", (chunk: Buffer) => output.push(`stderr: ${chunk}`));
  // The banner ends with the Ctrl-C hint; after it the listener is up.
  await line(/^ {2}Ctrl-C to stop\.$/, 20_000);
});
afterAll(async () => {
  if (cli && cli.exitCode === null) cli.kill("SIGKILL");
  await app?.close();
  await t?.close();
});

/** Wait for `count` output lines matching the pattern; returns the first. */
async function line(pattern: RegExp, timeoutMs = 15_000, count = 1): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = output.filter((l) => pattern.test(l));
    if (found.length >= count) return found[0]!;
    if (Date.now() > deadline)
      throw new Error(`not ${count} output lines match ${pattern}:\n${output.join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function submit(target: Buffer): Promise<string> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    body: form(
      { operation: "face_fusion", vendor: "ailab", webhook_url: `http://127.0.0.1:${port}/` },
      { target, template: await face(210) },
    ),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe("facegate webhooks listen", () => {
  it("prints the listening URL and how many secrets it verifies with", () => {
    expect(output).toContain(`Listening for facegate webhooks on http://127.0.0.1:${port}/`);
    expect(output).toContain("  verifying with 1 secret");
    expect(output).toContain(`  forwarding verified events to ${app.url}/from-cli`);
  });

  it("verifies a job's events, prints one line each, and forwards them unchanged", async () => {
    const ok = await submit(await face(30));
    const okLine = await line(new RegExp(ok));
    expect(okLine).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d  job\\.succeeded +${ok}  succeeded  verified  msg_`),
    );

    const failed = await submit(await blank());
    const failedLine = await line(new RegExp(failed));
    expect(failedLine).toMatch(/job\.failed +job_\w+ {2}failed \(no_face_detected\) {2}verified {2}msg_/);

    // The app behind --forward-to got both, with headers that still verify.
    const [forwarded] = await app.waitAbout(ok);
    expect(forwarded!.path).toBe("/hook/from-cli");
    const { secret } = (await (await t.api("/v1/webhook-secret")).json()) as { secret: string };
    const payload = new Webhook(secret).verify(forwarded!.body, forwarded!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: "job.succeeded", data: { id: ok } });
    await app.waitAbout(failed);
    // Printed once the app has answered, so a moment after the app got the request.
    const forwardedLine = new RegExp(`^ {2}→ ${app.url}/from-cli answered 200 in \\d+ ms$`);
    await line(forwardedLine, 5_000, 2);
    expect(output.filter((l) => forwardedLine.test(l))).toHaveLength(2);

    // facegate saw the app's answer through the listener: delivered.
    const log = (await (await t.api(`/v1/jobs/${ok}/deliveries`)).json()) as { data: any[] };
    expect(log.data[0]).toMatchObject({ status: "succeeded", attempts: [{ status: 200, ok: true }] });
  });

  it("answers 401 to a request that does not verify, says so, and does not forward it", async () => {
    const before = app.received.length;
    const body = JSON.stringify({
      type: "job.succeeded",
      timestamp: new Date().toISOString(),
      data: { id: "job_forged" },
    });
    const forged = new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const now = new Date();
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_forged",
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": forged.sign("msg_forged", now, body),
      },
      body,
    });
    expect(res.status).toBe(401);
    expect(await line(/job_forged/)).toMatch(
      /job_forged {2}- {2}NOT verified: No matching signature found {2}msg_forged$/,
    );
    // The listener forwards before it answers, so its 401 means nothing was forwarded.
    expect(app.received.length).toBe(before);
  });

  it("stops cleanly on Ctrl-C", async () => {
    const exited = new Promise<number | null>((resolve) => cli.once("exit", (code) => resolve(code)));
    cli.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("Stopped.");
  });

  it("says what to do when it has neither a secret nor an API key", async () => {
    const env = { ...process.env };
    delete env.FACEGATE_API_KEY;
    const child = spawn(process.execPath, [BIN, "webhooks", "listen", "--port", "0"], { cwd: ROOT, env });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: give --secret whsec_…, or set FACEGATE_API_KEY/);
  });
});
