export * from "./batches";
export * from "./jobs";
export * from "./keys";
export * from "./problem";
export * from "./usage";
