import type { Batch } from "@facegate/client";
import { Presets, SingleBar } from "cli-progress";
import { formatBytes, formatDuration, type Output } from "../output";

/**
 * The two phases of `batch create` as people watch them: bars on a terminal, a few plain lines
 * otherwise (a log file or CI keeps them readable), and under --json only those lines on stderr.
 */
export interface Progress<T> {
  update(value: T): void;
  /** Close the bar (leaving it on screen); without a bar, print the last state if it `completed`. */
  stop(completed: boolean): void;
}

/** Plain lines at most this often, however often the state changes. */
const PLAIN_EVERY_MS = 2_000;

/** Bytes sent of the upload's total (the exact multipart size). */
export function uploadProgress(out: Output, tty: boolean): Progress<{ sent: number; total: number }> {
  const started = performance.now();
  let last = { sent: 0, total: 0 };
  const elapsedS = () => (performance.now() - started) / 1000;
  const speed = () => `${formatBytes(Math.round(last.sent / Math.max(elapsedS(), 0.001)))}/s`;

  if (tty) {
    const bar = new SingleBar(
      {
        format: "uploading   [{bar}] {percentage}% | {sentText} of {totalText} | {speed}",
        stream: process.stdout,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(value) {
        last = value;
        const payload = {
          sentText: formatBytes(value.sent),
          totalText: formatBytes(value.total),
          speed: speed(),
        };
        if (!startedBar) bar.start(value.total, value.sent, payload);
        else bar.update(value.sent, payload);
        startedBar = true;
      },
      stop: () => bar.stop(),
    };
  }

  let printedAt = 0;
  let printedTenth = 0;
  return {
    update(value) {
      last = value;
      const tenth = Math.floor((value.sent / Math.max(value.total, 1)) * 10);
      if (tenth <= printedTenth || tenth >= 10 || performance.now() - printedAt < PLAIN_EVERY_MS) return;
      printedTenth = tenth;
      printedAt = performance.now();
      out.note(`uploading: ${tenth * 10}% (${formatBytes(value.sent)} of ${formatBytes(value.total)})`);
    },
    stop: (completed) => {
      if (completed) out.note(`uploaded ${formatBytes(last.sent)} in ${formatDuration(elapsedS() * 1000)}`);
    },
  };
}

/** Items finished (succeeded, failed or canceled) of the batch's total, failures and ETA. */
export function batchProgress(out: Output, tty: boolean): Progress<Batch> {
  if (tty) {
    const bar = new SingleBar(
      {
        format: "processing  [{bar}] {percentage}% | {value}/{total} done | {failed} failed | ETA {etaText}",
        stream: process.stdout,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(batch) {
        const payload = { failed: batch.counts.failed, etaText: eta(batch) };
        if (!started) bar.start(batch.counts.total, done(batch), payload);
        else {
          bar.setTotal(batch.counts.total);
          bar.update(done(batch), payload);
        }
        started = true;
      },
      stop: () => bar.stop(),
    };
  }

  let printed = "";
  let printedAt = 0;
  let last: Batch | undefined;
  const print = (batch: Batch) => {
    const line = describeProgress(batch);
    if (line === printed) return;
    printed = line;
    printedAt = performance.now();
    out.note(line);
  };
  return {
    update(batch) {
      last = batch;
      if (batch.status === "completed" || performance.now() - printedAt >= PLAIN_EVERY_MS) print(batch);
    },
    stop: (completed) => {
      if (completed && last) print(last);
    },
  };
}

/** `bat_…  running: 4/10 done, 1 failed, ETA 12.0 s` (canceled items counted when there are any). */
export function describeProgress(batch: Batch): string {
  const { total, failed, canceled } = batch.counts;
  const parts = [`${done(batch)}/${total} done`, `${failed} failed`];
  if (canceled > 0) parts.push(`${canceled} canceled`);
  if (batch.status !== "completed") parts.push(`ETA ${eta(batch)}`);
  return `${batch.id}  ${batch.status}: ${parts.join(", ")}`;
}

function done(batch: Batch): number {
  const { succeeded, failed, canceled } = batch.counts;
  return succeeded + failed + canceled;
}

function eta(batch: Batch): string {
  if (batch.status === "completed") return "0 s";
  return batch.estimated_seconds_left === null ? "-" : formatDuration(batch.estimated_seconds_left * 1000);
}
