/** The shapes the console reads from the public API (see /openapi.json). */
export interface Job {
  id: string;
  operation: string;
  vendor: { requested: string; used: string | null };
  status: string;
  attempts: number;
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  batch_id: string | null;
  item: { index: number; name: string } | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  erased_at: string | null;
  output: {
    url: string;
    retained_until: string | null;
    content_type: string;
    bytes: number;
    width: number;
    height: number;
    sha256: string;
  } | null;
  error: {
    code: string;
    message: string;
    vendor: string | null;
    vendor_code: string | null;
    retryable: boolean;
  } | null;
  routing: { vendor: string; outcome: string; reason: string; at: string | null }[];
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Batch {
  id: string;
  status: string;
  operation: string;
  vendor: string;
  source: string;
  counts: Record<"total" | "queued" | "running" | "succeeded" | "failed" | "canceled", number>;
  progress: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  canceled_at: string | null;
  estimated_seconds_left: number | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  event: string;
  status: string;
  target: { endpoint_id: string } | { webhook_url: true };
  attempts: {
    at: string;
    status: number | null;
    latency_ms: number;
    ok: boolean;
    error: string | null;
    manual: boolean;
  }[];
  created_at: string;
  last_error: string | null;
}

export interface ApiKey {
  id: string;
  tenant: string;
  name: string;
  prefix: string;
  created_at: string;
  source: string;
}
