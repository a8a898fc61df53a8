import type { RedisTarget } from "@facegate/config";
import { isFinal, type JobRecord } from "@facegate/core";
import { type JobChange, parseJobChange } from "@facegate/jobs";
import type { Logger } from "@facegate/logger";
import { createRedis } from "@facegate/queue";
import type { RedisClient } from "@facegate/records";

/** A change; a job's finish notice; or the process stopping (streams end). */
export type FeedEvent =
  | JobChange
  | { kind: "finished"; id: string }
  | { kind: "closing" }
  /** The subscription is back after a reconnection: notices sent meanwhile are lost, read again. */
  | { kind: "resubscribed" };
export type ChangeListener = (event: FeedEvent) => void;

/**
 * One Redis subscription per API process that tells its requests when a job changed, wherever
 * the job ran: `Prefer: wait=N` waits on it for the finish, the event streams follow every
 * change of a job or of a batch's jobs.
 */
export class JobFeed {
  private subscriber: RedisClient | undefined;
  private readonly listeners = new Map<string, Set<ChangeListener>>();

  constructor(
    private readonly redis: RedisTarget,
    private readonly channels: { finished: string; changed: string },
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber = createRedis(this.redis, "subscriber", "facegate-api-feed");
    this.subscriber.on("error", (error) => this.logger.warn({ err: error }, "job feed connection error"));
    this.subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.channels.finished) {
        // Said after the final write, which its own change notice already announced; it stays as
        // a second wake-up for waiters (it is what older workers send).
        const id = parseFinished(message);
        if (id) this.tell(id, { kind: "finished", id });
        return;
      }
      const change = parseJobChange(message);
      if (!change) return;
      this.tell(change.id, change);
      if (change.kind === "status" && change.batch) this.tell(change.batch, change);
    });
    await this.subscriber.subscribe(this.channels.finished, this.channels.changed);
    // ioredis subscribes again by itself after a reconnection; the listeners are told to read.
    this.subscriber.on("ready", () => {
      for (const [id] of this.listeners) this.tell(id, { kind: "resubscribed" });
    });
  }

  private tell(id: string, event: FeedEvent) {
    for (const listener of this.listeners.get(id) ?? []) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn({ err: error, id }, "job feed listener failed");
      }
    }
  }

  /**
   * Call `listener` on every change of a job (by its id) or of a batch's jobs (by the batch's
   * id), and once more when the process stops.
   * Returns the function that stops listening.
   */
  listen(id: string, listener: ChangeListener): () => void {
    const set = this.listeners.get(id) ?? new Set();
    set.add(listener);
    this.listeners.set(id, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  /**
   * Resolve when `id` is final (as `isFinished` reads it), after `ms`, on `signal`, or when the
   * process stops. A notice only prompts a fresh read; the record decides. A notice can name a
   * job that is not final when read: a finish Redis lost on a restart (its AOF keeps the last
   * second only), a finish notice older workers send after a write that did not happen. Each
   * read is made after listening, so a finish just before it is not missed; and the reads are
   * made again whenever the subscription comes back from a reconnection, as notices sent while
   * it was away are gone. The notice of the final write itself carries the record that write
   * left (`told`), which the read may take instead of asking Redis again.
   */
  async wait(
    id: string,
    ms: number,
    isFinished: (told: JobRecord | undefined) => Promise<boolean>,
    signal?: AbortSignal,
  ): Promise<void> {
    const deadline = Date.now() + ms;
    let closing = false;
    let wake!: () => void;
    let woken!: Promise<void>;
    const arm = () => {
      woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
    };
    arm();
    let told: JobRecord | undefined;
    const stop = this.listen(id, (event) => {
      if (event.kind === "closing") closing = true;
      if (event.kind === "attempt" || event.kind === "rate_limited") return;
      if (event.kind === "status" && !isFinal(event.status)) return;
      if (event.kind === "status") told ??= event.record;
      wake();
    });
    const timer = setTimeout(() => wake(), ms);
    const onAbort = () => wake();
    signal?.addEventListener("abort", onAbort, { once: true });
    const over = () => closing || signal?.aborted === true || Date.now() >= deadline;
    try {
      for (;;) {
        const next = woken;
        if (await isFinished(told)) return;
        if (over()) return;
        await next;
        if (over()) return;
        arm();
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      stop();
    }
  }

  /**
   * Tell every listener the process is stopping: event streams end cleanly and waiters answer,
   * so the HTTP server's graceful close is not held up by them. Call before closing the server.
   */
  release(): void {
    for (const set of [...this.listeners.values()])
      for (const listener of [...set]) listener({ kind: "closing" });
  }

  async stop(): Promise<void> {
    this.release();
    this.subscriber?.disconnect();
  }
}

function parseFinished(message: string): string | undefined {
  try {
    const id = (JSON.parse(message) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
