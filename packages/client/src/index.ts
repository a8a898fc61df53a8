export { FacegateClient, isFinished } from "./client";
export { FacegateConnectionError, FacegateError, WaitTimeoutError } from "./errors";
export * from "./options";
export { CLIENT_ROUTES, type RouteName } from "./routes";
export type {
  ApiKey,
  Batch,
  CreateBatchInput,
  CreatedApiKey,
  CreateJobInput,
  ImageSource,
  Job,
  JobList,
  JobStatus,
  ListJobsQuery,
  Operation,
  VendorChoice,
  WebhookEvent,
} from "./types";
export { type HeadersLike, verifyWebhook, WebhookVerificationError } from "./webhooks";
