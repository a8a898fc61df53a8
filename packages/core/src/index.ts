export * from "./catalog";
export * from "./errors";
export * from "./ids";
export * from "./image-limits";
export * from "./job-record";
export * from "./json-safety";
export * from "./money";
export * from "./operations";
