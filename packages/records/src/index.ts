export * from "./api-keys";
export * from "./idempotency";
export * from "./job-records";
export * from "./lua-script";
export * from "./redis-keys";
