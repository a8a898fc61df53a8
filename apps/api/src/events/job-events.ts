import { isFinal, type JobRecord } from "@facegate/core";
import { type JobHint, jobView } from "@facegate/jobs";
import type { ApiContext } from "../context";
import type { EventStream } from "./event-stream";

type Emit = [event: string, data: Record<string, unknown>];

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * A job's event stream: its status changes, attempts (started, and failed with the vendor's
 * answer), rate-limit waits and failovers as they happen, then the final job, and the end.
 * Changes come from the job feed; each wake-up reads the record and reports what differs from
 * the last one reported, so changes that arrive together are never reported twice or lost.
 */
export function followJob(ctx: ApiContext, id: string, stream: EventStream): void {
  let last: JobRecord | undefined;
  const hints: JobHint[] = [];
  let dirty = true;
  let pumping = false;

  const wake = () => {
    dirty = true;
    void pump();
  };
  const stopListening = ctx.feed.listen(id, (event) => {
    if (event.kind === "closing") return stream.end();
    if (event.kind === "attempt" || event.kind === "rate_limited") hints.push(event);
    wake();
  });
  stream.onClose(stopListening);
  stream.onHeartbeat = wake;

  async function pump() {
    if (pumping) return;
    pumping = true;
    try {
      while (dirty && !stream.closed) {
        dirty = false;
        const record = await ctx.records.get(id);
        if (!record) return stream.end();
        for (const [event, data] of changes(last, record)) stream.send(event, { job_id: id, ...data });
        for (const hint of hints.splice(0)) {
          if (!isFinal(record.status)) stream.send(hint.kind, { job_id: id, ...hintData(hint) });
        }
        last = record;
        if (isFinal(record.status)) {
          const view = await jobView(record, ctx.store, ctx.config.retention.presignTtlS);
          stream.send(record.status, view);
          return stream.end();
        }
      }
    } catch (error) {
      ctx.logger.warn({ jobId: id, err: error }, "job event stream ended by an error");
      stream.end();
    } finally {
      pumping = false;
    }
  }
  void pump();
}

/** What happened between two reads of a job (the final status is reported by the caller). */
export function changes(before: JobRecord | undefined, now: JobRecord): Emit[] {
  const out: Emit[] = [];
  const status = !isFinal(now.status) && before?.status !== now.status;
  if (status && now.status === "queued") out.push(["queued", { status: "queued", at: iso(now.createdAt) }]);
  if (status && now.status === "running")
    out.push(["running", { status: "running", vendor: now.vendor ?? null, at: iso(now.startedAt) }]);
  for (const note of now.routing.slice(before?.routing.length ?? 0)) {
    if (note.outcome === "failed_over")
      out.push(["failover", { vendor: note.vendor, reason: note.reason, at: iso(note.at) }]);
  }
  // A failed call's error names its attempt (counted before the call was sent).
  const failed = now.error?.attempt;
  if (
    before &&
    failed !== undefined &&
    failed !== before.error?.attempt &&
    now.error &&
    !isFinal(now.status)
  ) {
    out.push([
      "attempt_failed",
      {
        attempt: failed,
        code: now.error.code,
        message: now.error.message,
        vendor: now.error.vendor ?? null,
        vendor_code: now.error.vendorCode ?? null,
        retryable: now.error.retryable,
        at: iso(now.updatedAt),
      },
    ]);
  }
  return out;
}

function hintData(hint: JobHint): Record<string, unknown> {
  if (hint.kind === "attempt") return { attempt: hint.attempt, vendor: hint.vendor, at: iso(hint.at) };
  return { vendor: hint.vendor, wait_ms: hint.waitMs, by: hint.by, at: iso(hint.at) };
}
