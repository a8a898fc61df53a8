import type { JobRecord } from "@facegate/core";
import { extension, itemName, outputAvailable } from "@facegate/jobs";
import type { Response } from "express";
import { ZipFile } from "yazl";
import type { ApiContext } from "../context";

const PAGE = 200;

/**
 * GET /v1/batches/{id}/output: one zip, streamed as it is built, of every stored output (named
 * after its input) and a `manifest.csv` (input name, job id, status, error code, output name).
 * Each output is read from S3 only when the zip reaches it: memory does not grow with the batch.
 */
export async function streamBatchOutput(ctx: ApiContext, batchId: string, res: Response): Promise<void> {
  const zip = new ZipFile();
  let open: NodeJS.ReadableStream | undefined;
  // An output that cannot be read mid-download (expired, storage gone) cuts the download off: the
  // client sees a broken transfer, never a zip with a hole; the process is not affected.
  let failed!: () => void;
  const failure = new Promise<void>((resolve) => {
    failed = resolve;
  });
  const fail = () => {
    (open as { destroy?: () => void } | undefined)?.destroy?.();
    res.destroy();
    failed();
  };
  zip.on("error", fail);
  zip.outputStream.on("error", fail);
  res.setHeader("content-type", "application/zip");
  res.setHeader("content-disposition", `attachment; filename="${batchId}.zip"`);
  zip.outputStream.pipe(res);
  res.on("close", () => {
    if (!res.writableFinished) {
      (open as { destroy?: () => void } | undefined)?.destroy?.();
      zip.outputStream.unpipe(res);
    }
  });

  const rows = [["input_name", "job_id", "status", "error_code", "output_name"]];
  const taken = new Set<string>(["manifest.csv"]);
  const ids = await ctx.records.batchJobIds(batchId);
  for (let i = 0; i < ids.length; i += PAGE) {
    const records = await ctx.records.getMany(ids.slice(i, i + PAGE));
    for (const record of records) {
      // Names were reduced when the items were made; again here for records older than that.
      const inputName = itemName(record.item?.name, record.id);
      let outputName = "";
      if (record.status === "succeeded" && record.output && outputAvailable(record)) {
        outputName = unique(taken, outputNameFor(inputName, record));
        const key = record.output.key;
        // JPEG and PNG are compressed already: stored, not deflated again.
        zip.addReadStreamLazy(
          outputName,
          { compress: false, mtime: new Date(record.finishedAt ?? Date.now()) },
          (cb) => {
            ctx.store.getStream(key).then(
              (stream) => {
                open = stream;
                stream.on("error", fail);
                cb(null, stream);
              },
              (error: Error) => cb(error, undefined as never),
            );
          },
        );
      }
      rows.push([inputName, record.id, record.status, record.error?.code ?? "", outputName]);
    }
  }
  zip.addBuffer(Buffer.from(`${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`), "manifest.csv");
  zip.end();
  await Promise.race([
    failure,
    new Promise<void>((resolve) => {
      zip.outputStream.on("end", resolve);
      res.on("close", () => resolve());
    }),
  ]);
}

function outputNameFor(inputName: string, record: JobRecord): string {
  const stem = inputName.replace(/\.[A-Za-z0-9]{1,5}$/, "") || record.id;
  return `${stem}.${extension(record.output!.contentType)}`;
}

function unique(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/(\.[^.]+)?$/, (ext) => `-${n}${ext}`);
  taken.add(candidate);
  return candidate;
}

/**
 * CSV cell, quoted when needed. A cell a spreadsheet would read as a formula — one starting with
 * `=`, `+`, `-`, `@`, or with a TAB or CR before them (OWASP's CSV-injection list) — is prefixed
 * with `'` so it stays text.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
