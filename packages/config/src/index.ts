export * from "./config";
export { parseDuration } from "./parsers";
export { envSchema } from "./schema";
export * from "./vendors";
