import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildOpenApiDocument } from "@facegate/api/openapi";
import {
  CLIENT_ROUTES,
  FacegateClient,
  FacegateConnectionError,
  FacegateError,
  verifyWebhook,
  WebhookVerificationError,
} from "@facegate/client";
import { freePort } from "@facegate/queue";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blank, face } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

let t: TestSystem;
let receiver: Receiver;
let client: FacegateClient;
let dir: string;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: receiver.hostPort } });
  client = new FacegateClient({ baseUrl: t.url, apiKey: TEST_KEYS.acme });
  dir = mkdtempSync(join(tmpdir(), "facegate-client-"));
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("the client's routes", () => {
  /**
   * Routes the client knows that the server does not serve (yet): none.
   */
  const NOT_YET_SERVED: string[] = [];

  it("all exist in the server's OpenAPI document", () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
    const missing = Object.values(CLIENT_ROUTES)
      .filter((r) => !paths[r.path]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(missing, "client routes missing from the OpenAPI document").toEqual(NOT_YET_SERVED);
  });
});

describe("jobs through the client", () => {
  it("uploads files from disk as multipart, waits, and downloads the output", async () => {
    const target = join(dir, "me.jpg");
    const template = join(dir, "poster.png");
    writeFileSync(target, await face(50));
    writeFileSync(template, await face(250, { width: 420, height: 520, format: "png" }));
    const created = await client.createJob({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: { file: target }, template: { file: template } },
      metadata: { order: "C-1" },
    });
    expect(created).toMatchObject({ object: "job", status: "queued", metadata: { order: "C-1" } });

    const job = await client.waitForJob(created.id, { timeoutMs: 20_000 });
    expect(job.status).toBe("succeeded");
    expect(job.output).toMatchObject({ width: 420, height: 520 });

    const output = await client.getOutput(job.id);
    expect(output.bytes.length).toBe(job.output!.bytes);
    const meta = await sharp(output.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([420, 520]);
  });

  it("sends bytes inline as JSON when mixed with Tencent merges, and runJob blocks until done", async () => {
    const job = await client.runJob(
      {
        operation: "face_fusion",
        vendor: "tencent",
        inputs: { merges: [{ image: { bytes: await face(80) } }] },
      },
      { timeoutMs: 20_000 },
    );
    expect(job).toMatchObject({ status: "succeeded", vendor: { requested: "tencent", used: "tencent" } });
  });

  it("lists, pages, cancels and erases", async () => {
    const page = await client.listJobs({ limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).toMatch(/^job_/);
    const all = [];
    for await (const job of client.jobs({ limit: 1 })) all.push(job.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);

    const finished = all[0]!;
    const refused = await catchError(client.cancelJob(finished));
    expect(refused).toBeInstanceOf(FacegateError);
    expect(refused).toMatchObject({ status: 409, code: "job_already_finished" });

    const erased = await client.deleteJob(finished);
    expect(erased.erased_at).not.toBeNull();
    const gone = await catchError(client.getOutput(finished));
    expect(gone).toMatchObject({ status: 410, code: "erased" });
  });

  it("replays an idempotent create", async () => {
    const input = {
      operation: "expression" as const,
      vendor: "ailab" as const,
      inputs: { target: { bytes: await face(140) } },
      params: { expression: "big_grin" },
    };
    const first = await client.createJob(input, { idempotencyKey: "client-test-1" });
    const again = await client.createJob(input, { idempotencyKey: "client-test-1" });
    expect(again.id).toBe(first.id);
    expect((await client.waitForJob(first.id, { timeoutMs: 20_000 })).status).toBe("succeeded");
  });

  it("reports a failed job and problem details as typed errors", async () => {
    const failed = await client.runJob(
      { operation: "face_slimming", vendor: "ailab", inputs: { target: { bytes: await blank() } } },
      { timeoutMs: 20_000 },
    );
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "no_face_detected", retryable: false });

    const invalid = await catchError(
      client.createJob({
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: { bytes: await face() } },
      }),
    );
    expect(invalid).toMatchObject({ status: 422, code: "validation_failed" });
    expect((invalid as FacegateError).errors[0]?.path).toBe("inputs.template");
    expect((invalid as FacegateError).requestId).toBeTruthy();

    const missing = await catchError(client.getJob("job_000000000000000000000000000000"));
    expect(missing).toMatchObject({ status: 404, code: "not_found" });

    const stranger = new FacegateClient({ baseUrl: t.url, apiKey: "fg_not_a_key_at_all_000" });
    expect(await catchError(stranger.listJobs())).toMatchObject({ status: 401, code: "unauthorized" });

    const nowhere = new FacegateClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: "x" });
    const unreachable = await catchError(nowhere.listJobs());
    expect(unreachable).toBeInstanceOf(FacegateConnectionError);
    expect((unreachable as Error).message).toContain("ECONNREFUSED");
  });
});

describe("batches through the client", () => {
  it("uploads targets and a template, follows progress, and saves the zip", async () => {
    const targets = [join(dir, "guest-a.jpg"), join(dir, "guest-b.jpg")];
    writeFileSync(targets[0]!, await face(30));
    writeFileSync(targets[1]!, await face(70));
    writeFileSync(join(dir, "frame.jpg"), await face(210));
    const created = await client.createBatch({
      operation: "face_fusion",
      vendor: "ailab",
      targets: targets.map((file) => ({ file })),
      template: { file: join(dir, "frame.jpg") },
    });
    expect(created).toMatchObject({ object: "batch", counts: { total: 2 } });
    const seen: number[] = [];
    const done = await client.waitForBatch(created.id, {
      timeoutMs: 30_000,
      onProgress: (b) => seen.push(b.progress),
    });
    expect(done.counts).toMatchObject({ succeeded: 2, failed: 0 });
    expect(seen[seen.length - 1]).toBe(1);
    const jobs = await client.listBatchJobs(created.id);
    expect(jobs.data).toHaveLength(2);
    const zipPath = join(dir, "results.zip");
    const bytes = await client.saveBatchOutput(created.id, zipPath);
    expect(bytes).toBeGreaterThan(1000);
    const { readZip } = await import("./support/zips");
    const { readFileSync } = await import("node:fs");
    const entries = await readZip(readFileSync(zipPath));
    expect([...entries.keys()].sort()).toEqual(["guest-a.jpg", "guest-b.jpg", "manifest.csv"]);
  });
});

describe("verifyWebhook", () => {
  it("verifies facegate's signed events and refuses tampered ones", async () => {
    receiver.received.length = 0;
    const job = await client.createJob({
      operation: "expression",
      vendor: "ailab",
      inputs: { target: { bytes: await face(170) } },
      params: { expression: "sad" },
      webhookUrl: receiver.url,
    });
    const [hook] = await receiver.waitFor(1);
    const { secret } = (await (await t.api("/v1/webhook-secret")).json()) as { secret: string };

    const event = verifyWebhook(hook!.body, hook!.headers, secret);
    expect(event.type).toBe("job.succeeded");
    expect(event.data).toMatchObject({ id: job.id, status: "succeeded" });
    // During a rotation both secrets are tried.
    expect(verifyWebhook(hook!.body, hook!.headers, ["whsec_dGhlLW9sZC1vbmU=", secret]).type).toBe(
      "job.succeeded",
    );

    const tampered = hook!.body.replace('"succeeded"', '"failed"');
    expect(() => verifyWebhook(tampered, hook!.headers, secret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(hook!.body, {}, secret)).toThrow(/missing required headers/i);
    expect(() => verifyWebhook(hook!.body, hook!.headers, "whsec_dGhlLW9sZC1vbmU=")).toThrow(
      WebhookVerificationError,
    );
  });
});
