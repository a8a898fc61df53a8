import type { Logger } from "@facegate/logger";
import { createRedis } from "@facegate/queue";
import type { Redis } from "ioredis";

/**
 * `Prefer: wait=N`: one Redis subscription per API process tells waiting requests when their
 * job finished, wherever the job ran.
 */
export class FinishWaiter {
  private subscriber: Redis | undefined;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly redisUrl: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscriber = createRedis(this.redisUrl, "worker", "facegate-api-waiter");
    this.subscriber.on("error", (error) => this.logger.warn({ err: error }, "waiter connection error"));
    this.subscriber.on("message", (_channel, message: string) => {
      const { id } = JSON.parse(message) as { id: string };
      for (const wake of this.waiting.get(id) ?? []) wake();
    });
    await this.subscriber.subscribe(this.channel);
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
    const set = this.waiting.get(id) ?? new Set();
    set.add(wake);
    this.waiting.set(id, set);
    const timer = setTimeout(wake, ms);
    signal?.addEventListener("abort", wake, { once: true });
    try {
      if (await isFinished()) return;
      await woken;
    } finally {
      clearTimeout(timer);
      set.delete(wake);
      if (set.size === 0) this.waiting.delete(id);
    }
  }

  async stop(): Promise<void> {
    for (const set of this.waiting.values()) for (const wake of set) wake();
    this.subscriber?.disconnect();
  }
}
