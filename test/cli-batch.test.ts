import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Batch } from "@facegate/client";
import { readDigitalSourceType } from "@facegate/images";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runCli } from "./support/cli";
import { face } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";
import { makeZip } from "./support/zips";

/*
 * `facegate batch …` as a user runs it: a folder (or a zip) up, the batch followed, the results
 * zip downloaded and unpacked, a summary naming what failed. stdout is a pipe here, so the
 * progress comes as plain lines.
 */

let t: TestSystem;
let dir: string;
const path = (name: string) => join(dir, name);
const facegate = (...args: string[]): Promise<CliRun> =>
  runCli(args, { url: t.url, apiKey: TEST_KEYS.acme, cwd: dir });
const fusion = ["--operation", "face_fusion", "--vendor", "ailab", "--template", "poster.jpg"];
/** The batch `batch create` made in the first test, for get/download. */
let created: string;

beforeAll(async () => {
  t = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), "facegate-cli-batch-"));
  writeFileSync(path("poster.jpg"), await face(220));
  mkdirSync(path("photos/more"), { recursive: true });
  writeFileSync(path("photos/anna.jpg"), await face(30));
  writeFileSync(path("photos/ben.png"), await face(90, { format: "png" }));
  // An image by its name, not by its bytes: facegate refuses it as an item.
  writeFileSync(path("photos/broken.jpg"), "this is not a JPEG");
  writeFileSync(path("photos/notes.txt"), "not a photo");
  writeFileSync(path("photos/.DS_Store"), "hidden");
  writeFileSync(path("photos/more/carl.jpg"), await face(150));
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("facegate batch create", () => {
  it("sends a folder's photos, follows, unpacks the results and lists the failed item", async () => {
    const run = await facegate("batch", "create", "photos", ...fusion, "--no-recursive", "--out", "results");
    // One item failed: exit 1, so a script notices.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^error: 1 of 3 items did not succeed\n$/);
    const out = run.stdout;
    expect(out).toContain("sending 3 photos (");
    // Nothing is left out silently: each thing not sent, with its reason.
    expect(out).toContain("skipping 1 subfolder (--no-recursive): more/; 1 not an image: notes.txt\n");
    expect(out).toMatch(/^uploaded [\d.]+ kB in /m);
    created = /^created (bat_\w+) with 3 items$/m.exec(out)![1]!;
    expect(out).toContain(`${created}  completed: 3/3 done, 1 failed\n`);
    expect(out).toContain(`${created}  completed: 2 succeeded, 1 failed\n`);
    expect(out).toContain(`results in results: 2 images and manifest.csv (zip: results/${created}.zip)\n`);
    expect(out).toMatch(/ {2}NAME +STATUS +ERROR +JOB\n {2}broken\.jpg +failed +invalid_image +job_\w+\n/);

    // Outputs under their inputs' names (the PNG's output is a JPEG), the manifest, the zip.
    expect(readdirSync(path("results")).sort()).toEqual([
      "anna.jpg",
      `${created}.zip`,
      "ben.jpg",
      "manifest.csv",
    ]);
    const anna = readFileSync(path("results/anna.jpg"));
    expect(readDigitalSourceType(anna)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
    const manifest = readFileSync(path("results/manifest.csv"), "utf8");
    expect(manifest).toMatch(/^input_name,job_id,status,error_code,output_name\r\n/);
    expect(manifest).toMatch(/broken\.jpg,job_\w+,failed,invalid_image,\r\n/);
  });

  it("sends a zip as one archive; --json prints one document", async () => {
    const zip = await makeZip([
      { name: "guests/dana.jpg", data: await face(60) },
      { name: "guests/erik.jpg", data: await face(120) },
    ]);
    writeFileSync(path("guests.zip"), zip);
    const run = await facegate("batch", "create", "guests.zip", ...fusion, "--out", "from-zip", "--json");
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      batch: Batch;
      files: string[];
      failed: unknown[];
      zip: string;
    };
    expect(result.batch).toMatchObject({ source: "archive", status: "completed", counts: { succeeded: 2 } });
    expect(result.files.sort()).toEqual(["dana.jpg", "erik.jpg", "manifest.csv"]);
    expect(result.failed).toEqual([]);
    expect(result.zip).toBe(`from-zip/${result.batch.id}.zip`);
    // The progress went to stderr, keeping stdout one document.
    expect(run.stderr).toContain(`${result.batch.id}  completed: 2/2 done, 0 failed\n`);
    expect(readdirSync(path("from-zip")).sort()).toEqual(
      ["dana.jpg", "erik.jpg", `${result.batch.id}.zip`, "manifest.csv"].sort(),
    );
  });

  it("refuses what it cannot send, before sending anything (exit 2)", async () => {
    mkdirSync(path("empty"));
    const [noOut, notZip, empty] = await Promise.all([
      facegate("batch", "create", "photos", ...fusion),
      facegate("batch", "create", "photos/notes.txt", ...fusion, "--out", "x"),
      facegate("batch", "create", "empty", ...fusion, "--out", "x"),
    ]);
    expect(noOut).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: give --out <dir>/) });
    expect(notZip).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/neither a folder of photos nor a \.zip/),
    });
    expect(empty).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: no image files in empty/),
    });
  });
});

describe("facegate batch get, download and cancel", () => {
  it("shows a batch and downloads its results again", async () => {
    const [human, json, download] = await Promise.all([
      facegate("batch", "get", created),
      facegate("batch", "get", created, "--json"),
      facegate("batch", "download", created, "--out", "again"),
    ]);
    expect(human.stdout).toMatch(new RegExp(`^${created} {2}completed {2}100% \\(3 of 3 finished\\)\\n`));
    expect(human.stdout).toContain("0 queued, 0 running, 2 succeeded, 1 failed, 0 canceled");
    expect(JSON.parse(json.stdout)).toMatchObject({ id: created, counts: { total: 3, failed: 1 } });
    expect(download.code).toBe(1);
    expect(download.stdout).toMatch(/broken\.jpg +failed +invalid_image/);
    expect(readdirSync(path("again")).sort()).toEqual([
      "anna.jpg",
      `${created}.zip`,
      "ben.jpg",
      "manifest.csv",
    ]);

    const done = await facegate("batch", "cancel", created);
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/^error: batch_already_completed: /);
  });

  it("takes subfolders by default; --no-wait returns at once; cancel stops the rest", async () => {
    t.sim.configure("ailab", { latencyMs: 8_000 });
    try {
      const run = await facegate("batch", "create", "photos", ...fusion, "--no-wait", "--json");
      expect(run.code, run.stderr).toBe(0);
      const batch = JSON.parse(run.stdout) as Batch;
      expect(batch.counts.total).toBe(4);
      const cancel = await facegate("batch", "cancel", batch.id, "--json");
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(JSON.parse(cancel.stdout)).toMatchObject({ id: batch.id, canceled_at: expect.any(String) });
    } finally {
      t.sim.configure("ailab", { latencyMs: 0 });
    }
  });
});
