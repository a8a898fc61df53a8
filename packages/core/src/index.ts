export * from "./errors";
export * from "./ids";
export * from "./image-limits";
export * from "./operations";
