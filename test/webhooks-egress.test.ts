import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { freePort } from "@facegate/queue";
import { type RunningSystem, startSystem } from "@facegate/standalone";
import type { RunningWorker } from "@facegate/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

/*
 * The egress guard on webhook URLs, at creation and at delivery, and delivery's isolation from
 * vendor work. The API allow-lists both receivers; the worker runs in a second system on the same
 * Redis and bucket whose EGRESS_ALLOWLIST lists only `hang`: for `refused`, what the API accepted
 * is refused when sending — what a DNS change to a private address looks like.
 */

let t: TestSystem;
let workerSide: RunningSystem;
let refused: Receiver;
let hang: Receiver;
let worker: RunningWorker;
let images: { target: Buffer; template: Buffer };

beforeAll(async () => {
  refused = await startReceiver();
  hang = await startReceiver();
  t = await startTestSystem({
    worker: false,
    env: {
      EGRESS_ALLOWLIST: [refused.hostPort, hang.hostPort].join(","),
      WEBHOOK_TIMEOUT_MS: "20000",
      WEBHOOK_RETRY_SCHEDULE: "0,100ms,200ms,300ms,400ms",
    },
  });
  workerSide = await startSystem(
    loadConfig({ ...t.env, EGRESS_ALLOWLIST: hang.hostPort }),
    createLogger({ level: "silent" }),
    { host: "127.0.0.1" },
  );
  worker = workerSide.worker!;
  images = { target: await face(30), template: await face(210) };
});
afterAll(async () => {
  // Receivers first: hanging requests end at once instead of holding the worker's close.
  await hang?.close();
  await refused?.close();
  await workerSide?.close();
  await t?.close();
});

async function json(res: Response) {
  return (await res.json()) as Record<string, any>;
}

function createJob(webhookUrl?: string, tenant: "acme" | "beta" = "acme") {
  const fields: Record<string, string> = { operation: "face_fusion", vendor: "ailab" };
  if (webhookUrl) fields.webhook_url = webhookUrl;
  return t.api("/v1/jobs", { method: "POST", tenant, body: form(fields, images) });
}

async function deliveriesOf(jobId: string, tenant: "acme" | "beta" = "acme") {
  return (await json(await t.api(`/v1/jobs/${jobId}/deliveries`, { tenant }))).data as Record<string, any>[];
}

describe("the egress guard on webhook URLs", () => {
  it("refuses loopback, private, link-local and metadata URLs at creation with 422 url_not_allowed", async () => {
    const unlisted = await freePort();
    const urls = [
      `http://127.0.0.1:${unlisted}/hook`,
      // Another port of an allow-listed host: the list is of exact host:port pairs.
      `http://127.0.0.1:${refused.port + (refused.port === 65_535 ? -1 : 1)}/hook`,
      "http://10.0.0.7/hook",
      "http://192.168.1.20:8080/hook",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]:8080/hook",
      // A name, not an address: refused after DNS resolution (localhost is loopback).
      `http://localhost:${refused.port}/hook`,
    ];
    for (const url of urls) {
      const job = await createJob(url);
      expect(job.status, url).toBe(422);
      const problem = await json(job);
      expect(problem.code, url).toBe("url_not_allowed");
      expect(problem.detail, url).toMatch(/non-public address/);

      const endpoint = await t.postJson("/v1/webhook-endpoints", { url });
      expect(endpoint.status, url).toBe(422);
      expect((await json(endpoint)).code, url).toBe("url_not_allowed");
    }
    expect((await json(await t.api("/v1/webhook-endpoints"))).data).toEqual([]);
    // The allow-listed pair itself is accepted.
    expect((await createJob(refused.url)).status).toBe(202);
  });

  it("refuses at delivery time too, and logs the guard's reason on each attempt", async () => {
    const res = await createJob(refused.url);
    expect(res.status).toBe(202);
    const { id } = await json(res);
    await waitForFinal((p) => t.api(p), id);
    let delivery: Record<string, any> | undefined;
    const settled = async () => {
      [delivery] = await deliveriesOf(id);
      return delivery !== undefined && delivery.status !== "pending";
    };
    await until(settled, 10_000, "the delivery settled");
    const reason = "url_not_allowed: The URL's host is a non-public address (loopback).";
    expect(delivery).toMatchObject({ status: "failed", last_error: reason });
    expect(delivery!.attempts).toHaveLength(5);
    for (const attempt of delivery!.attempts) {
      expect(attempt).toMatchObject({ ok: false, status: null, error: reason });
    }
    expect(refused.about(id)).toEqual([]);
  });
});

describe("delivery and vendor work are apart", () => {
  it("jobs keep finishing while every webhook slot hangs on a dead receiver", async () => {
    hang.respond("hang");
    // Three endpoints and the job's own URL: four deliveries per job, all hanging.
    const endpoints: string[] = [];
    for (const path of ["a", "b", "c"]) {
      const res = await t.postJson(
        "/v1/webhook-endpoints",
        { url: `${hang.url}/${path}` },
        { tenant: "beta" },
      );
      endpoints.push((await json(res)).id);
    }
    try {
      const slots = worker.workers.find((w) => w.name === "webhooks")!.concurrency;
      const first = Math.ceil(slots / 4) + 1;
      for (let i = 0; i < first; i++) expect((await createJob(hang.url, "beta")).status).toBe(202);
      await until(() => hang.hanging >= slots, 15_000, `all ${slots} webhook slots hanging`);

      // Every webhook slot is stuck; vendor work goes on.
      const started = Date.now();
      const later: string[] = [];
      for (let i = 0; i < 5; i++) later.push((await json(await createJob(undefined, "beta"))).id);
      for (const id of later) {
        const job = await waitForFinal((p) => t.api(p, { tenant: "beta" }), id, 10_000);
        expect(job.status).toBe("succeeded");
      }
      expect(Date.now() - started).toBeLessThan(10_000);
      // All the while every webhook slot was taken (attempts hang up to the 15 s header timeout).
      const counts = await t.system.ctx.queues.get("webhooks").getJobCounts("active", "waiting");
      expect(counts.active).toBe(slots);
      expect(counts.waiting).toBeGreaterThan(0);
      // Their events are queued behind the stuck ones, not lost.
      const queued = await deliveriesOf(later[0]!, "beta");
      expect(queued).toHaveLength(3);
      expect(queued.every((d) => d.status === "pending" && d.attempts.length === 0)).toBe(true);
    } finally {
      for (const id of endpoints) {
        await t.api(`/v1/webhook-endpoints/${id}`, { method: "DELETE", tenant: "beta" });
      }
    }
  });
});
