import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readDigitalSourceType } from "@facegate/images";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitCompleted } from "./support/batches";
import { batchForm, face } from "./support/images";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { makeZip, readZip } from "./support/zips";

let t: TestSystem;
let receiver: Receiver;
let images: Server;
let imagesUrl: string;
const served = new Map<string, Buffer>();

beforeAll(async () => {
  receiver = await startReceiver();
  images = createServer((req, res) => {
    const body = served.get(req.url ?? "");
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "image/jpeg" }).end(body);
  });
  await new Promise<void>((r) => images.listen(0, "127.0.0.1", r));
  const port = (images.address() as AddressInfo).port;
  imagesUrl = `http://127.0.0.1:${port}`;
  t = await startTestSystem({
    env: {
      EGRESS_ALLOWLIST: `${receiver.hostPort},127.0.0.1:${port}`,
      BATCH_MAX_ITEMS: "20",
      BATCH_MAX_UNPACKED_BYTES: "3000000",
    },
  });
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
  images?.close();
});

type Json = Record<string, any>;

async function nothingLeftOf(prefix: string) {
  expect(await t.system.ctx.store.list(prefix)).toEqual([]);
}

describe("batches", () => {
  it("many target files and one template: bad files fail alone, the rest run, one zip comes back", async () => {
    const targets: [string, Buffer, string][] = [
      ["targets", await face(10), "anna.jpg"],
      ["targets", await face(50), "ben.jpg"],
      ["targets", Buffer.from("not a photo"), "notes.jpg"],
      ["targets", await face(90), "chloe.png"],
    ];
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm(
        {
          operation: "face_fusion",
          vendor: "ailab",
          webhook_url: receiver.url,
          metadata: '{"campaign":"x"}',
        },
        [["template", await face(200, { width: 480, height: 600 }), "template.jpg"], ...targets],
      ),
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Json;
    expect(res.headers.get("location")).toBe(`/v1/batches/${created.id}`);
    expect(created).toMatchObject({ object: "batch", source: "targets", counts: { total: 4 } });

    const done = await waitCompleted(t, created.id);
    expect(done.counts).toMatchObject({
      total: 4,
      succeeded: 3,
      failed: 1,
      canceled: 0,
      queued: 0,
      running: 0,
    });
    expect(done.progress).toBe(1);

    const jobs = (await (await t.api(`/v1/batches/${created.id}/jobs?limit=10`)).json()) as Json;
    expect(jobs.data).toHaveLength(4);
    expect(jobs.data.every((j: Json) => j.batch_id === created.id && j.metadata.campaign === "x")).toBe(true);
    const failed = (await (await t.api(`/v1/batches/${created.id}/jobs?status=failed`)).json()) as Json;
    expect(failed.data.map((j: Json) => j.error.code)).toEqual(["invalid_image"]);

    const zipRes = await t.api(`/v1/batches/${created.id}/output`);
    expect(zipRes.status).toBe(200);
    expect(zipRes.headers.get("content-type")).toBe("application/zip");
    const entries = await readZip(Buffer.from(await zipRes.arrayBuffer()));
    expect([...entries.keys()].sort()).toEqual(["anna.jpg", "ben.jpg", "chloe.jpg", "manifest.csv"]);
    expect(readDigitalSourceType(entries.get("anna.jpg")!)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
    const manifest = entries.get("manifest.csv")!.toString().trim().split("\r\n");
    expect(manifest[0]).toBe("input_name,job_id,status,error_code,output_name");
    expect(manifest.slice(1).map((row) => row.split(",").filter((_, i) => i !== 1))).toEqual([
      ["anna.jpg", "succeeded", "", "anna.jpg"],
      ["ben.jpg", "succeeded", "", "ben.jpg"],
      ["notes.jpg", "failed", "invalid_image", ""],
      ["chloe.png", "succeeded", "", "chloe.jpg"],
    ]);

    // One signed batch.completed event; the shared template and the inputs are gone.
    const hooks = await receiver.waitFor(1);
    const { secret } = (await (await t.api("/v1/webhook-secret")).json()) as Json;
    const events = hooks.map(
      (h) => new Webhook(secret).verify(h.body, h.headers as Record<string, string>) as Json,
    );
    expect(events.filter((e) => e.type === "batch.completed" && e.data.id === created.id)).toHaveLength(1);
    await nothingLeftOf(`batches/acme/${created.id}`);
  });

  it("an archive: folders, hidden files and hostile names handled, nested archives and non-images fail alone", async () => {
    const archive = await makeZip([
      { name: "guests/one.jpg", data: await face(15) },
      { name: "guests/two.jpg", data: await face(45) },
      { name: "__MACOSX/guests/._one.jpg", data: Buffer.from("apple double") },
      { name: "guests/.DS_Store", data: Buffer.from("finder") },
      { name: "up/up/up/up/tmp/escape.jpg", raw: "../../../../tmp/escape.jpg", data: await face(75) },
      { name: "_etc/absolute.jpg", raw: "/etc/absolute.jpg", data: await face(105) },
      { name: "inner.zip", data: await makeZip([{ name: "x.jpg", data: await face(5) }]) },
      { name: "readme.txt", data: Buffer.from("hello") },
      { name: "guests/", data: Buffer.alloc(0) },
    ]);
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", await face(220), "t.jpg"],
        ["archive", archive, "photos.zip"],
      ]),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Json;
    const done = await waitCompleted(t, id);
    expect(done.counts).toMatchObject({ total: 6, succeeded: 4, failed: 2 });
    const entries = await readZip(Buffer.from(await (await t.api(`/v1/batches/${id}/output`)).arrayBuffer()));
    // Names are base names only: nothing climbs out of anywhere.
    expect([...entries.keys()].sort()).toEqual([
      "absolute.jpg",
      "escape.jpg",
      "manifest.csv",
      "one.jpg",
      "two.jpg",
    ]);
    const failed = (await (await t.api(`/v1/batches/${id}/jobs?status=failed`)).json()) as Json;
    expect(failed.data.map((j: Json) => j.error.code).sort()).toEqual(["invalid_image", "invalid_image"]);
    expect(await t.system.ctx.store.list("tmp/")).toEqual([]);
  });

  it("a manifest of URLs: an unreachable URL and a bad row fail alone", async () => {
    served.set("/a.jpg", await face(20));
    served.set("/b.jpg", await face(60));
    const csv = [
      "target_url,metadata.guest",
      `${imagesUrl}/a.jpg,Ada`,
      `${imagesUrl}/missing.jpg,Nobody`,
      ",Blank",
      `${imagesUrl}/b.jpg,Bo`,
    ].join("\n");
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", await face(230), "t.jpg"],
        ["manifest", Buffer.from(csv), "guests.csv"],
      ]),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Json;
    const done = await waitCompleted(t, id);
    expect(done.counts).toMatchObject({ total: 4, succeeded: 2, failed: 2 });
    const jobs = (await (await t.api(`/v1/batches/${id}/jobs`)).json()) as Json;
    const guests = jobs.data.filter((j: Json) => j.status === "succeeded").map((j: Json) => j.metadata.guest);
    expect(guests.sort()).toEqual(["Ada", "Bo"]);
    expect(jobs.data.filter((j: Json) => j.status === "failed").map((j: Json) => j.error.code)).toEqual([
      "invalid_request",
      "invalid_request",
    ]);
  });

  it("JSON items with base64 inputs", async () => {
    const items = await Promise.all(
      [25, 65].map(async (hue) => ({
        inputs: { target: { base64: (await face(hue)).toString("base64") } },
        name: `p${hue}.jpg`,
      })),
    );
    const res = await t.postJson("/v1/batches", {
      operation: "face_fusion",
      vendor: "ailab",
      template: { base64: (await face(240)).toString("base64") },
      items,
    });
    expect(res.status).toBe(202);
    const done = await waitCompleted(t, ((await res.json()) as Json).id);
    expect(done.counts).toMatchObject({ total: 2, succeeded: 2 });
  });

  describe("unusable batches are refused before anything is queued", () => {
    const refusals: [string, () => Promise<[string, Buffer, string][]>, number, string][] = [
      [
        "not a zip",
        async () => [["archive", Buffer.from("PK but not really a zip file"), "x.zip"]],
        422,
        "invalid_archive",
      ],
      [
        "an empty zip",
        async () => [["archive", await makeZip([{ name: ".DS_Store", data: Buffer.from("x") }]), "x.zip"]],
        422,
        "no_items",
      ],
      [
        "a zip bomb (unpacks past the cap)",
        async () => [
          [
            "archive",
            await makeZip([
              { name: "a.jpg", data: Buffer.alloc(2_000_000) },
              { name: "b.jpg", data: Buffer.alloc(2_000_000) },
            ]),
            "bomb.zip",
          ],
        ],
        413,
        "archive_too_large",
      ],
      [
        "more items than allowed",
        async () => [
          [
            "archive",
            await makeZip(
              Array.from({ length: 21 }, (_, i) => ({ name: `${i}.jpg`, data: Buffer.from([i]) })),
            ),
            "many.zip",
          ],
        ],
        413,
        "too_many_items",
      ],
      [
        "a CSV without target_url",
        async () => [["manifest", Buffer.from("url\nhttp://x/a.jpg\n"), "m.csv"]],
        422,
        "invalid_manifest",
      ],
      ["no source at all", async () => [], 422, "validation_failed"],
    ];
    for (const [name, files, status, code] of refusals) {
      it(name, async () => {
        const before = await t.system.ctx.redis.zcard(t.system.ctx.keys.tenantBatches("beta"));
        const res = await t.api("/v1/batches", {
          method: "POST",
          tenant: "beta",
          body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
            ["template", await face(1), "t.jpg"],
            ...(await files()),
          ]),
        });
        expect(res.status).toBe(status);
        expect(((await res.json()) as Json).code).toBe(code);
        expect(await t.system.ctx.redis.zcard(t.system.ctx.keys.tenantBatches("beta"))).toBe(before);
        await nothingLeftOf("batches/beta/");
        await nothingLeftOf("inputs/beta/");
      });
    }
  });
});
