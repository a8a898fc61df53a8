export * from "./batches";
export * from "./cancel";
export * from "./create-job";
export * from "./dispatch";
export * from "./ingest";
export * from "./job-view";
export * from "./lifecycle";
export * from "./services";
