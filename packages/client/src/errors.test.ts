import { describe, expect, it } from "vitest";
import { FacegateError } from "./errors";
import { routePath } from "./routes";

describe("FacegateError.fromResponse", () => {
  it("reads problem details", async () => {
    const res = new Response(
      JSON.stringify({
        status: 422,
        code: "validation_failed",
        detail: "inputs.template: required",
        errors: [{ path: "inputs.template", message: "required" }],
        request_id: "req-1",
      }),
      { status: 422, headers: { "content-type": "application/problem+json" } },
    );
    const error = await FacegateError.fromResponse(res);
    expect(error).toMatchObject({
      status: 422,
      code: "validation_failed",
      detail: "inputs.template: required",
      requestId: "req-1",
      errors: [{ path: "inputs.template", message: "required" }],
    });
    expect(error.message).toBe("validation_failed: inputs.template: required");
  });

  it("still says something useful when the answer is not problem details (a proxy's page)", async () => {
    const res = new Response("<html>Bad Gateway</html>", {
      status: 502,
      headers: { "retry-after": "7", "x-request-id": "req-2" },
    });
    const error = await FacegateError.fromResponse(res);
    expect(error).toMatchObject({ status: 502, code: "http_502", requestId: "req-2", retryAfterS: 7 });
    expect(error.detail).toContain("Bad Gateway");
  });
});

describe("routePath", () => {
  it("fills and encodes path parameters, and refuses a missing one", () => {
    expect(routePath("getJob", { id: "job_1" })).toBe("/v1/jobs/job_1");
    expect(routePath("getJob", { id: "../admin" })).toBe("/v1/jobs/..%2Fadmin");
    expect(() => routePath("getJob", {})).toThrow(/'id' is required/);
  });
});
