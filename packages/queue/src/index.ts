export * from "./circuit-breaker";
export * from "./connection";
export * from "./embedded-redis";
export * from "./pacer";
export * from "./queues";
