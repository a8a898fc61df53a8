import { vendorPace } from "@facegate/config";
import {
  CATALOG,
  JOB_NAMES,
  type JobName,
  QUEUE_NAMES,
  type QueueName,
  type VendorId,
  vendorOfQueue,
} from "@facegate/core";
import type { Egress } from "@facegate/egress";
import type { Services } from "@facegate/jobs";
import { createRedis, Pacer } from "@facegate/queue";
import { queuePrefix, type RedisClient } from "@facegate/records";
import type { VendorAdapter } from "@facegate/vendors";
import { type Job, Worker } from "bullmq";
import { backoffStrategy } from "./backoff";
import { InFlightCalls } from "./in-flight";
import { cancelBatchHandler, expandBatchHandler } from "./processors/batches";
import { callVendorHandler } from "./processors/call-vendor";
import { checkFacesHandler } from "./processors/check-faces";
import { deliverWebhookHandler } from "./processors/deliver-webhook";
import { flushOutboxLeft, reconcileHandler, sweepRetentionHandler } from "./processors/maintenance";
import { storeOutputHandler } from "./processors/store-output";
import { stallTiming } from "./stall-timing";

type Handler = (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>;

export interface WorkerDeps {
  services: Services;
  adapters: ReadonlyMap<VendorId, VendorAdapter>;
  egress: Egress;
}

export interface RunningWorker {
  workers: Worker[];
  close(): Promise<void>;
}

/** How long a stopping worker waits for its running jobs. */
const SHUTDOWN_GRACE_MS = 25_000;

/** How often the maintenance jobs run. */
const RECONCILE_EVERY_MS = 30_000;
const SWEEP_EVERY_MS = 300_000;

/**
 * Start one BullMQ worker per queue: a queue per vendor (one vendor's rate limit never stalls
 * another's work), the store step, webhook delivery and maintenance. Every catalogued job
 * has exactly one handler (`HandlerMap`).
 */
export async function startWorker(deps: WorkerDeps): Promise<RunningWorker> {
  const { services } = deps;
  const { config } = services;
  const pacers = new Map<VendorId, Pacer>();
  for (const [vendor, adapter] of deps.adapters) {
    const { rps } = vendorPace(config.vendors, vendor);
    pacers.set(
      vendor,
      new Pacer(services.redis, services.keys.rateSlots(vendor), adapter.credentials().length, rps, {
        adaptive: config.vendors.pacing === "adaptive",
      }),
    );
  }

  const calls = new InFlightCalls();
  const handlers: HandlerMap = {
    "call-vendor": (queue) =>
      callVendorHandler(
        { services, adapters: deps.adapters, pacers, metrics: services.metrics, calls },
        vendorOfQueue(queue)!,
      ),
    "check-faces": () => checkFacesHandler(services),
    "store-output": () => storeOutputHandler({ services, adapters: deps.adapters }),
    "deliver-webhook": () =>
      deliverWebhookHandler({ services, egress: deps.egress, metrics: services.metrics }),
    "expand-batch": () => expandBatchHandler(services, deps.egress),
    "cancel-batch": () => cancelBatchHandler(services),
    "reconcile-jobs": () => reconcileHandler(services),
    "sweep-retention": () => sweepRetentionHandler(services),
  };
  const perQueue = handlersByQueue(handlers);

  const connections: RedisClient[] = [];
  const workers: Worker[] = [];
  const served = config.worker.queues.length > 0 ? config.worker.queues : QUEUE_NAMES;
  const unknown = served.filter((q) => !(QUEUE_NAMES as readonly string[]).includes(q));
  if (unknown.length > 0) throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(", ")}`);
  for (const queue of served as QueueName[]) {
    const handlers = perQueue.get(queue)!;
    const connection = createRedis(config.redis, "worker", `facegate-worker-${queue}`);
    connection.on("error", (error) =>
      services.logger.debug({ err: error, queue }, "worker connection error"),
    );
    connections.push(connection);
    const worker = new Worker(
      queue,
      async (job, token, signal) => {
        const handler = handlers[job.name as JobName];
        if (!handler) throw new Error(`no handler for ${job.name} on ${queue}`);
        return handler(job, token, signal);
      },
      {
        connection,
        prefix: queuePrefix(config.redis.prefix, queue),
        concurrency: concurrencyFor(queue, services),
        // A job whose worker died is taken up again within JOB_LOCK_MS, never failed for it.
        ...stallTiming(config.jobs.lockMs),
        settings: { backoffStrategy: backoffStrategy(config) },
      },
    );
    worker.on("error", (error) => services.logger.error({ err: error, queue }, "worker error"));
    workers.push(worker);
  }

  const maintenance = services.queues.get("maintenance");
  // Schedulers are upserted by every worker; BullMQ keeps one of each.
  await maintenance.upsertJobScheduler(
    "reconcile-jobs",
    { every: RECONCILE_EVERY_MS },
    { name: "reconcile-jobs", data: {} },
  );
  await maintenance.upsertJobScheduler(
    "sweep-retention",
    { every: SWEEP_EVERY_MS },
    { name: "sweep-retention", data: {} },
  );

  // A worker that died between finishing a job and flushing its outbox left the job's events
  // there: sent now, by the next worker to start, not at the next reconcile.
  await flushOutboxLeft(services, Date.now()).catch((error: unknown) =>
    services.logger.warn({ err: error }, "outbox flush at start failed; the reconcile takes it up"),
  );

  const cancels = listenForCancels(services, workers);
  return {
    workers,
    async close() {
      cancels.disconnect();
      // No new vendor call starts: a job not yet calling is handed back to the queue.
      calls.stop();
      // Stop taking jobs and let running ones finish, for a while: a job that outlasts it is
      // left to its lock, which lapses, and another worker takes it up (as after a crash).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(workers.map((w) => w.close())),
        new Promise((resolve) => {
          timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
      // A call already sent is waited for (VENDOR_TIMEOUT_MS bounds it) until its outcome and any
      // answer are in the ledger: the job's next run resumes from them, and no call is left
      // `interrupted` by a deploy.
      if (calls.size > 0) services.logger.info({ calls: calls.size }, "waiting for vendor calls in flight");
      await calls.settled();
      for (const c of connections) c.disconnect();
    },
  };
}

function concurrencyFor(queue: QueueName, services: Pick<Services, "config">): number {
  const vendor = vendorOfQueue(queue);
  if (vendor) return vendorPace(services.config.vendors, vendor).concurrency;
  switch (queue) {
    case "store":
      return 16;
    case "faces":
      // Face work runs one image at a time on one thread (packages/faces); more would only queue.
      return 1;
    case "webhooks":
      return 32;
    default:
      return 2;
  }
}

/**
 * One handler factory per catalogued job, given the queue it serves: typed from the catalog, so a
 * job added there without a handler here does not compile.
 */
type HandlerMap = {
  [N in JobName]: (queue: (typeof CATALOG)[N]["queues"][number]) => Handler;
};

function handlersByQueue(handlers: HandlerMap): Map<QueueName, Partial<Record<JobName, Handler>>> {
  const perQueue = new Map<QueueName, Partial<Record<JobName, Handler>>>();
  for (const name of JOB_NAMES) {
    const factory = handlers[name] as (queue: QueueName) => Handler;
    for (const queue of CATALOG[name].queues as readonly QueueName[]) {
      perQueue.set(queue, { ...perQueue.get(queue), [name]: factory(queue) });
    }
  }
  return perQueue;
}

/** A cancel request aborts the running vendor call wherever it runs. */
function listenForCancels(
  services: Pick<Services, "config" | "logger" | "keys">,
  workers: Worker[],
): RedisClient {
  const subscriber = createRedis(services.config.redis, "subscriber", "facegate-cancels");
  subscriber.on("error", (error) =>
    services.logger.debug({ err: error }, "cancel listener connection error"),
  );
  subscriber.subscribe(services.keys.cancelChannel).catch((error) => {
    services.logger.error({ err: error }, "cannot subscribe to cancel requests");
  });
  subscriber.on("message", (_channel, message: string) => {
    for (const worker of workers) worker.cancelJob(message, "canceled by request");
  });
  return subscriber;
}
