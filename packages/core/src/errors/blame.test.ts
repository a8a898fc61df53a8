import { describe, expect, it } from "vitest";
import { failureLogLevel } from "./blame";

describe("failureLogLevel", () => {
  it("keeps error for what an operator must act on, info for what the caller sent or asked", () => {
    for (const code of [
      "invalid_image",
      "image_too_small",
      "no_face_detected",
      "content_rejected",
      "canceled",
    ])
      expect(failureLogLevel(code), code).toBe("info");
    for (const code of [
      "vendor_auth_failed",
      "vendor_quota_exhausted",
      "vendor_config_error",
      "vendor_unavailable",
      "storage_unavailable",
      "timeout",
      "internal_error",
    ])
      expect(failureLogLevel(code), code).toBe("error");
  });
});
