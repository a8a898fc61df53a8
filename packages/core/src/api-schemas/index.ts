export * from "./batches";
export * from "./jobs";
export * from "./problem";
