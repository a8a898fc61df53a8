export * from "./api-keys";
export * from "./idempotency";
export * from "./job-records";
export { SEAL_BATCH } from "./job-scripts";
export * from "./lua-script";
export * from "./redis-client";
export * from "./redis-keys";
