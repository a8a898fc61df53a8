import { isRetryableCode, type JobErrorCode } from "./error-codes";

/**
 * A failure of facegate's own making (input, storage, deadline) that ends or retries a job.
 * Vendor failures use VendorError instead.
 */
export class JobFailure extends Error {
  readonly code: JobErrorCode;
  readonly retryable: boolean;

  constructor(code: JobErrorCode, message: string, retryable = isRetryableCode(code)) {
    super(message);
    this.name = "JobFailure";
    this.code = code;
    this.retryable = retryable;
  }
}
