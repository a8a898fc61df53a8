import { CATALOG, type JobName, type JobPayload, QUEUE_NAMES, type QueueName } from "@facegate/core";
import { queuePrefix, type RedisClient } from "@facegate/records";
import { type JobsOptions, Queue } from "bullmq";

/** Finished BullMQ entries are trimmed by age so Redis stays bounded; facegate's own records hold the truth. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 7 * 86_400, count: 20_000 },
};

export const EVENTS_MAX_LEN = 2_000;

/** BullMQ forbids ':' in custom ids; ours use '.' between parts. */
export const queueJobId = (...parts: string[]) => parts.join(".");

/** Every facegate queue, opened once per process on a shared connection. */
export class Queues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    readonly connection: RedisClient,
    readonly prefix: string,
    onError: (error: Error, queue: string) => void = () => {},
  ) {
    for (const name of QUEUE_NAMES) {
      const queue = new Queue(name, {
        connection,
        prefix: queuePrefix(prefix, name),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
        streams: { events: { maxLen: EVENTS_MAX_LEN } },
      });
      queue.on("error", (error) => onError(error, name));
      this.queues.set(name, queue);
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  all(): Queue[] {
    return [...this.queues.values()];
  }

  /** Enqueue a catalogued job; the payload is validated against the catalog on the way in. */
  async add<N extends JobName>(
    queue: QueueName,
    name: N,
    payload: JobPayload<N>,
    options: JobsOptions = {},
  ): Promise<void> {
    const entry = CATALOG[name];
    if (!(entry.queues as readonly string[]).includes(queue)) {
      throw new Error(`job ${name} does not run on queue ${queue}`);
    }
    const data = entry.payload.parse(payload);
    await this.get(queue).add(name, data, options);
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
