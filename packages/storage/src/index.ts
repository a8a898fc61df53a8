export * from "./embedded-s3";
export * from "./keys";
export * from "./object-store";
export * from "./s3-store";
