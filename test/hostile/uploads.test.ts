import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import { pngBombHeader } from "../../packages/images/src/test-images";
import { face, form, waitForFinal } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { makeZip } from "../support/zips";
import {
  expectOnlyKnownKeys,
  expectProblem,
  expectUnharmed,
  files,
  type ImageServer,
  type Json,
  startImageServer,
  waitCompleted,
  watchMemory,
} from "./support";

/*
 * Hostile files: truncated and corrupt images, decompression bombs (a 30 000 × 30 000 PNG and
 * friends) by every way in (multipart, base64, URL, batch template and targets), things that are
 * not images at all, zip bombs and zip-slip names. The format is judged from the bytes, pixels
 * are counted from the header before anything is decoded, and nothing lands outside its place.
 */

const MAX_IMAGE_BYTES = 3_000_000;

let t: TestSystem;
let server: ImageServer;
let memory: ReturnType<typeof watchMemory>;
let good: Buffer;
let template: Buffer;
let png: Buffer;
let zipBomb: Buffer;

beforeAll(async () => {
  server = await startImageServer();
  t = await startTestSystem({
    env: {
      EGRESS_ALLOWLIST: server.hostPort,
      MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES),
      BATCH_MAX_ITEMS: "20",
      BATCH_MAX_UNPACKED_BYTES: "20000000",
    },
  });
  good = await face(40);
  template = await face(220);
  png = await face(80, { format: "png" });
  zipBomb = await zipOfZeros("bomb.jpg", 500 * 1024 * 1024);
  memory = watchMemory();
});
afterEach(() => expectUnharmed(t));
afterAll(async () => {
  memory?.stop();
  await t?.close();
  await server?.close();
});

/** One zip entry of `bytes` zeros, streamed through the compressor (about 1/1000 of the size). */
async function zipOfZeros(name: string, bytes: number): Promise<Buffer> {
  const chunk = Buffer.alloc(1024 * 1024);
  const zip = new ZipFile();
  zip.addReadStream(
    Readable.from(
      (function* () {
        for (let sent = 0; sent < bytes; sent += chunk.length) yield chunk;
      })(),
    ),
    name,
  );
  zip.end();
  const out: Buffer[] = [];
  for await (const c of zip.outputStream) out.push(c as Buffer);
  return Buffer.concat(out);
}

/** A JPEG whose frame header (SOF0) claims another size; the scan data stays that of `jpeg`. */
function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  const sof = copy.indexOf(Buffer.from([0xff, 0xc0]));
  copy.writeUInt16BE(height, sof + 5);
  copy.writeUInt16BE(width, sof + 7);
  return copy;
}

/** A minimal GIF whose screen and only frame claim `side` × `side`. */
function gifClaiming(side: number): Buffer {
  const b = Buffer.alloc(6 + 7 + 10 + 4 + 1);
  b.write("GIF89a", 0, "latin1");
  b.writeUInt16LE(side, 6);
  b.writeUInt16LE(side, 8);
  b[13] = 0x2c; // image descriptor
  b.writeUInt16LE(side, 18);
  b.writeUInt16LE(side, 20);
  b[23] = 2; // LZW minimum code size
  b[24] = 1; // one data byte
  b[25] = 0x44;
  b[26] = 0; // block terminator
  b[27] = 0x3b; // trailer
  return b;
}

const withTarget = (target: Buffer, name = "target.jpg") =>
  form({ operation: "face_fusion", vendor: "ailab" }, { target: { bytes: target, name }, template });
const postForm = (body: FormData) => t.api("/v1/jobs", { method: "POST", body });
const postBase64 = (target: Buffer) =>
  t.postJson("/v1/jobs", {
    operation: "face_fusion",
    vendor: "ailab",
    inputs: {
      target: { base64: target.toString("base64") },
      template: { base64: template.toString("base64") },
    },
  });
const postUrl = (path: string, bytes: Buffer) => {
  server.serve(path, bytes);
  return t.postJson("/v1/jobs", {
    operation: "face_fusion",
    vendor: "ailab",
    inputs: { target: { url: `${server.url}${path}` }, template: { base64: template.toString("base64") } },
  });
};
const postBatch = (fields: Record<string, string>, parts: [string, Buffer, string][]) =>
  t.api("/v1/batches", {
    method: "POST",
    body: files({ operation: "face_fusion", vendor: "ailab", ...fields }, parts),
  });

describe("images refused at the door", () => {
  const cases: [string, () => Promise<Response>, string][] = [
    [
      "a truncated JPEG (multipart)",
      () => postForm(withTarget(good.subarray(0, Math.floor(good.length * 0.7)))),
      "invalid_image",
    ],
    [
      "a truncated PNG (multipart)",
      () => postForm(withTarget(png.subarray(0, Math.floor(png.length * 0.7)), "t.png")),
      "invalid_image",
    ],
    ["a truncated JPEG (base64)", () => postBase64(good.subarray(0, good.length - 200)), "invalid_image"],
    [
      "a truncated PNG (by URL)",
      () => postUrl("/cut.png", png.subarray(0, png.length - 40)),
      "invalid_image",
    ],
    ["a JPEG cut right after its header", () => postForm(withTarget(good.subarray(0, 600))), "invalid_image"],
    [
      "a JPEG whose frame header is garbage",
      () => {
        const bad = Buffer.from(good);
        const sof = bad.indexOf(Buffer.from([0xff, 0xc0]));
        bad.fill(0xff, sof + 2, sof + 12);
        return postForm(withTarget(bad));
      },
      "invalid_image",
    ],
    [
      "a PNG claiming 0 × 0 pixels",
      () => {
        const bad = Buffer.from(png);
        bad.writeUInt32BE(0, 16);
        bad.writeUInt32BE(0, 20);
        return postForm(withTarget(bad, "zero.png"));
      },
      "invalid_image",
    ],
    [
      "a PNG signature followed by noise",
      () => postForm(withTarget(Buffer.concat([png.subarray(0, 8), Buffer.alloc(4096, 0xa5)]), "n.png")),
      "invalid_image",
    ],
    [
      "a 30 000 × 30 000 PNG bomb (multipart)",
      () => postForm(withTarget(pngBombHeader(30_000), "bomb.png")),
      "image_too_large",
    ],
    ["a 30 000 × 30 000 PNG bomb (base64)", () => postBase64(pngBombHeader(30_000)), "image_too_large"],
    [
      "a 30 000 × 30 000 PNG bomb (by URL)",
      () => postUrl("/bomb.png", pngBombHeader(30_000)),
      "image_too_large",
    ],
    [
      "a 30 000 × 30 000 PNG bomb as a batch's template",
      () =>
        postBatch({}, [
          ["template", pngBombHeader(30_000), "t.png"],
          ["targets", good, "a.jpg"],
        ]),
      "image_too_large",
    ],
    [
      "a JPEG claiming 65 500 × 65 500 pixels",
      () => postForm(withTarget(jpegClaiming(good, 65_500, 65_500))),
      "image_too_large",
    ],
    [
      "a GIF claiming 65 535 × 65 535 pixels",
      () => postForm(withTarget(gifClaiming(65_535), "big.gif")),
      "image_too_large",
    ],
    [
      "more bytes than MAX_IMAGE_BYTES",
      () => postForm(withTarget(Buffer.concat([good, Buffer.alloc(MAX_IMAGE_BYTES)]))),
      "image_too_large",
    ],
    ["an empty file", () => postForm(withTarget(Buffer.alloc(0))), "invalid_image"],
    ["text named .jpg", () => postForm(withTarget(Buffer.from("just some text, honest"))), "invalid_image"],
    [
      "an SVG named .jpg (external references, scripts)",
      () =>
        postForm(
          withTarget(
            Buffer.from(
              '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><image href="http://169.254.169.254/"/></svg>',
            ),
          ),
        ),
      "invalid_image",
    ],
    [
      "HTML named .png",
      () => postForm(withTarget(Buffer.from("<!doctype html><script>alert(1)</script>"), "x.png")),
      "invalid_image",
    ],
    [
      "a PDF",
      () => postForm(withTarget(Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"), "x.jpg")),
      "invalid_image",
    ],
    [
      "an ELF binary",
      () =>
        postForm(
          withTarget(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(2000)]), "x.jpg"),
        ),
      "invalid_image",
    ],
  ];
  for (const [name, send, code] of cases) {
    it(name, async () => {
      await expectProblem(await send(), 422, code);
    });
  }
});

describe("archives", () => {
  const refusals: [string, () => Promise<[string, Buffer, string][]>, number, string][] = [
    [
      "a zip bomb (500 MB of zeros in 500 kB)",
      async () => [["archive", zipBomb, "bomb.zip"]],
      413,
      "archive_too_large",
    ],
    [
      "an archive with more entries than items allowed",
      async () => [
        [
          "archive",
          await makeZip(Array.from({ length: 25 }, (_, i) => ({ name: `${i}.jpg`, data: Buffer.from([i]) }))),
          "many.zip",
        ],
      ],
      413,
      "too_many_items",
    ],
    [
      "bytes that only start like a zip",
      async () => [
        ["archive", Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(5000, 7)]), "x.zip"],
      ],
      422,
      "invalid_archive",
    ],
    [
      "a manifest with more rows than items allowed",
      async () => [
        [
          "manifest",
          Buffer.from(
            ["target_url", ...Array.from({ length: 25 }, (_, i) => `https://example.com/${i}.jpg`)].join(
              "\n",
            ),
          ),
          "m.csv",
        ],
      ],
      413,
      "too_many_items",
    ],
  ];
  for (const [name, parts, status, code] of refusals) {
    it(name, async () => {
      await expectProblem(
        await postBatch({}, [["template", template, "t.jpg"], ...(await parts())]),
        status,
        code,
      );
    });
  }

  it("zip-slip names: only base names are used, nothing is written outside its place", async () => {
    const marker = `facegate-slip-${Date.now()}`;
    const archive = await makeZip([
      {
        name: `up/up/up/up/up/up/tmp/${marker}.jpg`,
        raw: `../../../../../../tmp/${marker}.jpg`,
        data: await face(15),
      },
      { name: `_etc/${marker}.jpg`, raw: `/etc/${marker}.jpg`, data: await face(45) },
      { name: `c_/w/${marker}.jpg`, raw: `c:\\w\\${marker}.jpg`, data: await face(75) },
    ]);
    const res = await t.api("/v1/batches", {
      method: "POST",
      tenant: "beta",
      body: files({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", template, "t.jpg"],
        ["archive", archive, "slip.zip"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    expect(batch.counts).toMatchObject({ total: 3, succeeded: 3 });
    const jobs = (await (await t.api(`/v1/batches/${batch.id}/jobs`, { tenant: "beta" })).json()) as Json;
    // The item names facegate keeps (and names outputs after) are base names.
    const names = jobs.data.map((j: Json) => j.id).length;
    expect(names).toBe(3);
    for (const dir of [tmpdir(), "/tmp", "/etc", join(tmpdir(), "..")]) {
      expect(existsSync(join(dir, `${marker}.jpg`)), dir).toBe(false);
    }
    await expectOnlyKnownKeys(t);
  });

  it("an entry that lies about its size is cut off at the size it declared", async () => {
    // Declares 2 kB, inflates to 50 MB: the total-size check passes, reading the entry does not.
    const archive = await zipOfZeros("liar.jpg", 50 * 1024 * 1024);
    const declare = (at: number, offset: number) => archive.writeUInt32LE(2048, at + offset);
    for (let at = archive.indexOf("PK\u0003\u0004"); at >= 0; at = archive.indexOf("PK\u0003\u0004", at + 4))
      declare(at, 22);
    for (let at = archive.indexOf("PK\u0001\u0002"); at >= 0; at = archive.indexOf("PK\u0001\u0002", at + 4))
      declare(at, 24);
    const res = await t.api("/v1/batches", {
      method: "POST",
      tenant: "beta",
      body: files({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", template, "t.jpg"],
        ["archive", archive, "liar.zip"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    expect(batch.counts).toMatchObject({ total: 1, failed: 1 });
    const [item] = ((await (await t.api(`/v1/batches/${batch.id}/jobs`, { tenant: "beta" })).json()) as Json)
      .data;
    expect(item.error.code).toBe("invalid_image");
  });
});

describe("deliberate choices", () => {
  it("a bomb among a batch's targets fails alone; the other targets run", async () => {
    const res = await t.api("/v1/batches", {
      method: "POST",
      tenant: "beta",
      body: files({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", template, "t.jpg"],
        ["targets", pngBombHeader(30_000), "bomb.png"],
        ["targets", good, "fine.jpg"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    expect(batch.counts).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    const failed = (
      (await (await t.api(`/v1/batches/${batch.id}/jobs?status=failed`, { tenant: "beta" })).json()) as Json
    ).data;
    expect(failed.map((j: Json) => j.error.code)).toEqual(["image_too_large"]);
  });

  it("an animated GIF is accepted and only its first frame is used", async () => {
    const frames = await Promise.all([face(30, { format: "png" }), face(200, { format: "png" })]);
    const gif = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const res = await t.api("/v1/jobs", {
      method: "POST",
      tenant: "beta",
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: { bytes: gif, name: "a.gif" }, template },
      ),
    });
    expect(res.status).toBe(202);
    const job = (await waitForFinal(
      (p) => t.api(p, { tenant: "beta" }),
      ((await res.json()) as Json).id,
    )) as Json;
    expect(job.status).toBe("succeeded");
    const output = Buffer.from(await (await fetch(job.output.url)).arrayBuffer());
    expect((await sharp(output).metadata()).pages ?? 1).toBe(1);
  });
});

describe("afterwards", () => {
  it("every stored object sits where facegate puts things", async () => {
    await expectOnlyKnownKeys(t);
  });

  it("memory stayed bounded: no bomb was decoded, no archive inflated whole", () => {
    // A 30 000² RGB decode alone would take 2.7 GB; the bomb archive inflates to 500 MB.
    expect(memory.growthMb()).toBeLessThan(300);
  });
});
