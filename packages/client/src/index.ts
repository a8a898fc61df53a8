export {
  FacegateClient,
  type FacegateClientOptions,
  isFinished,
  MAX_PREFER_WAIT_S,
  type RequestOptions,
  type WaitOptions,
  WaitTimeoutError,
} from "./client";
export { FacegateConnectionError, FacegateError } from "./errors";
export { CLIENT_ROUTES, type RouteName } from "./routes";
export type {
  Batch,
  CreateBatchInput,
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
