import { batchView } from "@facegate/jobs";
import type { ApiContext } from "../context";
import type { EventStream } from "./event-stream";

/** A busy batch changes thousands of times a second; its counts go out at most this often. */
const MIN_INTERVAL_MS = 250;

/**
 * A batch's event stream: `progress` with the batch (counts, rate, estimate) whenever its counts
 * or status change, then `completed` with the final batch, and the end.
 */
export function followBatch(ctx: ApiContext, id: string, tenant: string, stream: EventStream): void {
  let lastSent = "";
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let pumping = false;
  let dirty = false;

  const wake = () => {
    dirty = true;
    if (timer || pumping) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void pump();
      },
      Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()),
    );
  };
  const stopListening = ctx.feed.listen(id, (event) => (event.kind === "closing" ? stream.end() : wake()));
  stream.onClose(() => {
    stopListening();
    clearTimeout(timer);
  });
  stream.onHeartbeat = wake;

  async function pump() {
    pumping = true;
    dirty = false;
    try {
      const view = await batchView(ctx, id, tenant);
      if (!view) return stream.end();
      lastAt = Date.now();
      const { estimated_seconds_left: _changesEverySecond, ...compared } = view;
      const key = JSON.stringify(compared);
      if (view.completed_at) {
        stream.send("completed", view);
        return stream.end();
      }
      if (key !== lastSent) stream.send("progress", view);
      lastSent = key;
    } catch (error) {
      ctx.logger.warn({ batchId: id, err: error }, "batch event stream ended by an error");
      stream.end();
    } finally {
      pumping = false;
      if (dirty && !stream.closed) wake();
    }
  }
  void pump();
}
