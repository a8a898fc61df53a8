import type {
  apiKeySchema,
  batchSchema,
  createdApiKeySchema,
  createJobBody,
  jobListSchema,
  jobSchema,
  listJobsQuery,
} from "@facegate/core/api-schemas";
import type { z } from "zod";

/** Response types, inferred from the schemas the API itself answers with. */
export type Job = z.infer<typeof jobSchema>;
export type JobList = z.infer<typeof jobListSchema>;
export type JobStatus = Job["status"];
export type Batch = z.infer<typeof batchSchema>;
export type Operation = Job["operation"];
export type VendorChoice = Job["vendor"]["requested"];
/** An API key's details (admin routes); `CreatedApiKey` adds the secret, shown once. */
export type ApiKey = z.infer<typeof apiKeySchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

/** `GET /v1/jobs` filters, as the API reads them. */
export type ListJobsQuery = Partial<z.output<typeof listJobsQuery>>;

/** The JSON body of `POST /v1/jobs`, as the API validates it. */
export type CreateJobBody = z.input<typeof createJobBody>;

/** An image given to the client: a URL facegate fetches, a file on disk, or bytes in memory. */
export type ImageSource =
  | { url: string }
  | { base64: string }
  | { file: string }
  | { bytes: Uint8Array | ArrayBuffer | Blob; filename?: string };

export interface CreateJobInput {
  operation: Operation;
  /** A vendor, or `auto` (the default) to route by preference and health. */
  vendor?: VendorChoice;
  inputs: {
    target?: ImageSource;
    template?: ImageSource;
    /** Tencent only: up to 6 faces instead of `target`. */
    merges?: {
      image: ImageSource;
      template_face_id?: string;
      input_face_rect?: { x: number; y: number; width: number; height: number };
    }[];
  };
  params?: Record<string, unknown>;
  /** Where facegate POSTs the signed `job.*` event. */
  webhookUrl?: string;
  metadata?: Record<string, string>;
}

export interface CreateBatchInput {
  operation: Operation;
  vendor?: VendorChoice;
  /** Many photos, one job each (multipart field `targets`). */
  targets?: ImageSource[];
  /** Or one zip of photos (multipart field `archive`). */
  archive?: ImageSource;
  /** Shared by every item (face fusion); a URL is fetched by facegate. */
  template?: ImageSource;
  params?: Record<string, unknown>;
  webhookUrl?: string;
  metadata?: Record<string, string>;
}

/** A verified webhook event (`job.succeeded`, `job.failed`, `job.canceled`, `batch.completed`). */
export type WebhookEvent =
  | { type: "job.succeeded" | "job.failed" | "job.canceled"; timestamp: string; data: Job }
  | { type: "batch.completed"; timestamp: string; data: Batch };
