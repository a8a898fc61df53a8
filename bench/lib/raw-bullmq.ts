import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";

/** Raw BullMQ on the same Redis: no-op jobs per second through one queue (the baseline engine cost). */
export async function rawBullmqRate(redisUrl: string, jobs = 5_000, concurrency = 16): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const name = `raw-${Date.now()}`;
  const queue = new Queue(name, { connection, prefix: "rawbench" });
  await queue.addBulk(
    Array.from({ length: jobs }, (_, i) => ({ name: "noop", data: { i }, opts: { removeOnComplete: true } })),
  );
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const started = performance.now();
  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    name,
    async () => {
      if (++done === jobs) allDone();
    },
    { connection: workerConnection, prefix: "rawbench", concurrency },
  );
  await finished;
  const rate = jobs / ((performance.now() - started) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return rate;
}
