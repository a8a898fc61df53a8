import { createWriteStream, mkdtempSync, openAsBlob, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { freePort } from "@facegate/queue";
import { syntheticFace } from "@facegate/vendor-sim";
import { ZipFile } from "yazl";
import { API_MEMORY_ENV, spawnEntry } from "./lib/processes";
import { type BenchResult, fmt } from "./lib/result";
import { BENCH_KEY, startStack } from "./lib/stack";

const ITEMS = 5_000;

/** A JPEG COM segment after SOI: every photo a different file, the same pixels. */
function variant(jpeg: Buffer, n: number): Buffer {
  const text = Buffer.from(`guest ${n} ${"x".repeat(64)}`, "latin1");
  const comment = Buffer.alloc(4 + text.length);
  comment.writeUInt16BE(0xfffe, 0);
  comment.writeUInt16BE(text.length + 2, 2);
  text.copy(comment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), comment, jpeg.subarray(2)]);
}

/**
 * Bulk: a 5 000-photo zip uploaded in one request. Figures: how long the API takes to accept it,
 * the API process's peak memory while it streams the upload, how long until every item is final
 * (instant simulator), and the API's peak memory while it streams the result zip back.
 */
export default async function batch(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "facegate-batch-bench-"));
  const stack = await startStack();
  try {
    const photo = await syntheticFace({ hue: 30, width: 1100, height: 1400 });
    const template = await syntheticFace({ hue: 210, width: 600, height: 750 });
    const archivePath = join(dir, "guests.zip");
    const zip = new ZipFile();
    for (let i = 0; i < ITEMS; i++)
      zip.addBuffer(variant(photo, i), `guests/guest-${String(i).padStart(4, "0")}.jpg`, { compress: false });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(archivePath));
    const archiveBytes = statSync(archivePath).size;

    const port = String(await freePort());
    const env = { ...stack.env, PORT: port, MAX_QUEUED_JOBS_PER_TENANT: "20000", AILAB_CONCURRENCY: "16" };
    const api = await spawnEntry("apps/api/src/main.ts", { ...env, ...API_MEMORY_ENV }, "api listening");
    const worker = await spawnEntry("apps/worker/src/main.ts", env, "worker started");
    const url = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${BENCH_KEY}` };
    const idleRss = api.peakRssMiB();

    const form = new FormData();
    form.set("operation", "face_fusion");
    form.set("vendor", "ailab");
    form.set("template", new Blob([new Uint8Array(template)], { type: "image/jpeg" }), "template.jpg");
    form.set("archive", await openAsBlob(archivePath, { type: "application/zip" }), "guests.zip");
    const started = performance.now();
    const res = await fetch(`${url}/v1/batches`, { method: "POST", headers: auth, body: form });
    const acceptS = (performance.now() - started) / 1000;
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const uploadRss = api.peakRssMiB();

    let view: { status: string; counts: Record<string, number> };
    do {
      await new Promise((r) => setTimeout(r, 1_000));
      view = (await (await fetch(`${url}/v1/batches/${id}`, { headers: auth })).json()) as typeof view;
    } while (view.status !== "completed");
    const finalS = (performance.now() - started) / 1000;

    api.resetPeakRss();
    const download = await fetch(`${url}/v1/batches/${id}/output`, { headers: auth });
    let zipBytes = 0;
    for await (const chunk of download.body!) zipBytes += (chunk as Uint8Array).length;
    const downloadRss = api.peakRssMiB();
    await worker.stop();
    await api.stop();

    return {
      name: "Bulk upload",
      description: `One multipart request with a ${fmt(archiveBytes / 2 ** 20, 0)} MiB zip of ${ITEMS} photos (${Math.round(photo.length / 1024)} KB each) and a template, face fusion on the instant simulator; API and worker as separate processes.`,
      rows: [
        { metric: "API accept time (upload to 202)", value: `${fmt(acceptS)} s` },
        {
          metric: "API peak RSS during the upload",
          value: `${fmt(uploadRss, 0)} MiB`,
          target: "≤ 200 MiB",
          pass: uploadRss <= 200,
        },
        {
          metric: "time until every item is final (from upload start)",
          value: `${fmt(finalS)} s (${fmt(ITEMS / finalS)} items/s)`,
        },
        {
          metric: "API peak RSS while streaming the result zip",
          value: `${fmt(downloadRss, 0)} MiB`,
          target: "≤ 200 MiB",
          pass: downloadRss <= 200,
        },
        { metric: "baseline: API RSS at rest", value: `${fmt(idleRss, 0)} MiB` },
      ],
      notes: [
        `Outcomes: ${JSON.stringify(view.counts)}; result zip ${fmt(zipBytes / 2 ** 20, 0)} MiB.`,
        "Peak RSS is the process's high-water mark (VmHWM) read from /proc after each phase; it is reset (clear_refs) before the download, so that figure is the download's own peak. The API runs with docker-compose.yml's memory settings (NODE_OPTIONS=--max-semi-space-size=2, MALLOC_ARENA_MAX=2).",
      ],
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
