import { type JobRecord, newId } from "@facegate/core";

/** A queued job record for the repositories' tests; `overrides` set what a test is about. */
export function jobRecord(overrides: Partial<JobRecord> = {}, at = Date.now()): JobRecord {
  return {
    id: newId("job", at),
    tenant: "acme",
    status: "queued",
    operation: "face_fusion",
    vendorRequested: "auto",
    params: {},
    inputs: {},
    metadata: {},
    createdAt: at,
    updatedAt: at,
    deadlineAt: at + 60_000,
    attempts: 0,
    routing: [],
    ...overrides,
  };
}
