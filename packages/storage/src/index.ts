// The embedded S3 server is not part of the index: production processes never load it.
export * from "./keys";
export * from "./object-store";
export * from "./s3-store";
