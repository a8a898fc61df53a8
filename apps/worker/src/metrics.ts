import type { Metrics } from "@facegate/metrics";

/** The part of the metrics the worker's processors record into. */
export type WorkerMetrics = Pick<Metrics, "vendorCall" | "rateLimitWait" | "retry" | "webhookDelivery">;
