import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job, JobList } from "@facegate/client";
import { readDigitalSourceType } from "@facegate/images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runCli, runNpmCli } from "./support/cli";
import { blank, face } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

/*
 * `facegate jobs …` run as a user runs it (the bin shim, a child process) against a whole
 * facegate started here: files up, results down, exit codes a script can rely on.
 */

let t: TestSystem;
let dir: string;
const file = (name: string) => join(dir, name);
const facegate = (...args: string[]): Promise<CliRun> =>
  runCli(args, { url: t.url, apiKey: TEST_KEYS.acme, cwd: dir });

beforeAll(async () => {
  t = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), "facegate-cli-jobs-"));
  writeFileSync(file("me.jpg"), await face(40));
  writeFileSync(file("poster.jpg"), await face(220));
  writeFileSync(file("wall.jpg"), await blank());
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("facegate jobs create", () => {
  it("uploads files, waits, and saves the output: a JPEG marked as AI-generated", async () => {
    const run = await facegate(
      ...["jobs", "create", "--operation", "face_fusion", "--vendor", "ailab"],
      ...["--target", "me.jpg", "--template", "poster.jpg", "--metadata", "order=C-7"],
      ...["--wait", "30", "--out", "results/fused.jpg"],
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^job_\w+ {2}succeeded\n/);
    expect(run.stdout).toMatch(/ {2}operation {2}face_fusion \(vendor ailab\), 1 attempt\n/);
    expect(run.stdout).toContain("  metadata   order=C-7\n");
    expect(run.stdout).toMatch(/ {2}output {5}image\/jpeg 400×500, [\d.]+ kB/);
    expect(run.stdout).toContain(`saved results/fused.jpg\n`);

    const saved = readFileSync(file("results/fused.jpg"));
    expect([...saved.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(readDigitalSourceType(saved)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
  });

  it("--json prints one JSON document (the job) and nothing else on stdout", async () => {
    const run = await facegate(
      ...["jobs", "create", "--operation", "expression", "--vendor", "ailab", "--target", "me.jpg"],
      ...["--param", "expression=big_grin", "--wait", "--json"],
    );
    expect(run.code, run.stderr).toBe(0);
    const job = JSON.parse(run.stdout) as Job;
    expect(job).toMatchObject({ object: "job", status: "succeeded", params: { expression: "big_grin" } });

    // Without --wait: created, queued or already further; the id is there to follow it.
    const queued = await facegate(
      ...["jobs", "create", "--operation", "face_slimming", "--target", "me.jpg"],
      ...["--params-json", '{"slim_degree": 2}', "--json"],
    );
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({
      operation: "face_slimming",
      params: { slim_degree: 2 },
    });
  });

  it("exits 1 when the job fails, and says why", async () => {
    const run = await facegate(
      ...["jobs", "create", "--operation", "face_slimming", "--vendor", "ailab", "--target", "wall.jpg"],
      ...["--wait", "30", "--out", "never.jpg"],
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^job_\w+ {2}failed\n/);
    expect(run.stdout).toMatch(/ {2}error {6}no_face_detected: /);
    expect(run.stderr).toMatch(/^error: job job_\w+ failed \(no_face_detected\)\n$/);
    expect(() => readFileSync(file("never.jpg"))).toThrow();
  });

  it("exits 2 on an HTTP problem, printing its code and detail", async () => {
    const [invalid, missing, stranger] = await Promise.all([
      facegate("jobs", "create", "--operation", "face_fusion", "--target", "me.jpg"),
      facegate("jobs", "get", "job_000000000000000000000000000000"),
      runCli(["jobs", "list"], { url: t.url, apiKey: "fg_not_a_key_at_all_000" }),
    ]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error: validation_failed: .+ \(HTTP 422\)\n/);
    expect(invalid.stderr).toContain("  inputs.template: ");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: not_found: .+ \(HTTP 404\)/);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toMatch(/^error: unauthorized: /);
  });

  it("exits 2 on bad arguments, before sending anything", async () => {
    const create = ["jobs", "create", "--operation", "expression"];
    const [noFile, badJson, badParam, badChoice, noKey] = await Promise.all([
      facegate(...create, "--target", "nope.jpg"),
      facegate(...create, "--target", "me.jpg", "--params-json", "{"),
      facegate(...create, "--target", "me.jpg", "--param", "expression"),
      facegate("jobs", "create", "--operation", "teleport", "--target", "me.jpg"),
      runCli(["jobs", "list"], { url: t.url }),
    ]);
    expect(noFile).toMatchObject({ code: 2, stderr: "error: --target: no such file: nope.jpg\n" });
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^error: --params-json: not valid JSON/);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/expected key=value, not "expression"/);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toMatch(/argument 'teleport' is invalid/);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^error: FACEGATE_API_KEY is not set/);
  });
});

describe("npm run facegate, typed in another folder of the repository", () => {
  it("reads and writes paths from that folder, not the repository root", async () => {
    const examples = join(import.meta.dirname, "..", "examples");
    const run = await runNpmCli(
      [
        ...["jobs", "create", "--operation", "face_fusion", "--vendor", "ailab"],
        ...["--target", "face.jpg", "--template", "template.jpg", "--out", file("from-examples.jpg")],
      ],
      { url: t.url, apiKey: TEST_KEYS.acme, cwd: examples },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^job_\w+ {2}succeeded\n/);
    expect([...readFileSync(file("from-examples.jpg")).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });
});

describe("facegate jobs get, list and cancel", () => {
  it("gets a job, as lines or JSON, and saves its output", async () => {
    const { data } = (await (await t.api("/v1/jobs?status=succeeded&limit=1")).json()) as JobList;
    const id = data[0]!.id;
    const human = await facegate("jobs", "get", id);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^${id} {2}succeeded\\n`));
    const json = await facegate("jobs", "get", id, "--json", "--out", "results");
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: "succeeded" });
    expect([...readFileSync(file(`results/${id}.jpg`)).subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it("lists newest first as a table or JSON, filtered by status, one page or all", async () => {
    const table = await facegate("jobs", "list", "--limit", "2");
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +STATUS +OPERATION +VENDOR +CREATED \(UTC\) +RESULT$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^more: facegate jobs list --cursor job_\w+ \(or --all\)$/);

    const [failed, all, onePage] = await Promise.all([
      facegate("jobs", "list", "--status", "failed", "--json"),
      facegate("jobs", "list", "--all", "--limit", "1", "--json"),
      facegate("jobs", "list", "--json"),
    ]);
    const page = JSON.parse(failed.stdout) as JobList;
    expect(page.data.length).toBeGreaterThanOrEqual(1);
    expect(page.data.every((j) => j.status === "failed" && j.error?.code === "no_face_detected")).toBe(true);
    // --all pages through one job at a time and finds what one page of 20 shows.
    const every = JSON.parse(all.stdout) as JobList;
    expect(every.data.map((j) => j.id)).toEqual(
      (JSON.parse(onePage.stdout) as JobList).data.map((j) => j.id),
    );
    expect(every.next_cursor).toBeNull();
  });

  it("cancels a running job; a --wait on it then exits 1", async () => {
    // Slow the vendor down so the job is still running when the cancel comes.
    t.sim.configure("ailab", { latencyMs: 8_000 });
    try {
      const waiting = facegate(
        ...["jobs", "create", "--operation", "face_slimming", "--vendor", "ailab", "--target", "me.jpg"],
        ...["--wait", "30", "--json"],
      );
      const id = await newestRunningJob();
      const cancel = await facegate("jobs", "cancel", id);
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(cancel.stdout).toMatch(new RegExp(`^${id} {2}canceled\\n`));

      const waited = await waiting;
      expect(waited.code).toBe(1);
      expect(JSON.parse(waited.stdout)).toMatchObject({ id, status: "canceled" });
      expect(waited.stderr).toContain(`error: job ${id} canceled`);

      const again = await facegate("jobs", "cancel", id);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/^error: job_already_finished: /);
    } finally {
      t.sim.configure("ailab", { latencyMs: 0 });
    }
  });
});

async function newestRunningJob(): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { data } = (await (await t.api("/v1/jobs?status=running&limit=1")).json()) as JobList;
    if (data[0]) return data[0].id;
    if (Date.now() > deadline) throw new Error("no job started running");
    await new Promise((r) => setTimeout(r, 50));
  }
}
