export { cliClient } from "./client";
export { type CliConfig, cliConfig } from "./config";
export { CliError, EXIT, usageError } from "./errors";
export { buildProgram } from "./program";
export { describeEvent, type SeenEvent } from "./webhooks/describe";
export { type ListenerOptions, type RunningListener, startWebhookListener } from "./webhooks/listener";
export { type Verdict, verifyRequest } from "./webhooks/verify";
