import type { RedisTarget } from "@facegate/config";
import { isFinal } from "@facegate/core";
import { type JobChange, parseJobChange } from "@facegate/jobs";
import type { Logger } from "@facegate/logger";
import { createRedis } from "@facegate/queue";
import type { RedisClient } from "@facegate/records";

/** A change; a job's finish notice; or the process stopping (streams end). */
export type FeedEvent = JobChange | { kind: "finished"; id: string } | { kind: "closing" };
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
   * Resolve when `id` finishes or after `ms`. `isFinished` is checked after subscribing, so a
   * job that finished just before the wait began is not missed.
   */
  async wait(
    id: string,
    ms: number,
    isFinished: () => Promise<boolean>,
    signal?: AbortSignal,
  ): Promise<void> {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const stop = this.listen(id, (event) => {
      if (event.kind === "finished" || event.kind === "closing") wake();
      else if (event.kind === "status" && isFinal(event.status)) wake();
    });
    const timer = setTimeout(wake, ms);
    signal?.addEventListener("abort", wake, { once: true });
    try {
      if (await isFinished()) return;
      await woken;
    } finally {
      clearTimeout(timer);
      stop();
    }
  }

  async stop(): Promise<void> {
    for (const set of [...this.listeners.values()])
      for (const listener of [...set]) listener({ kind: "closing" });
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
