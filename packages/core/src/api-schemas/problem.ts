import { z } from "zod";

/**
 * RFC 9457 problem details, as every error of the API is answered (`application/problem+json`).
 * `code` is the stable part clients branch on; `detail` is for people.
 */
export const problemSchema = z
  .object({
    type: z.string().describe("A URI naming the problem type."),
    title: z.string(),
    status: z.int(),
    code: z.string().describe("Stable, machine-readable error code."),
    detail: z.string().describe("What went wrong, for people."),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("Validation failures, one per offending field."),
    request_id: z.string().optional().describe("The request's X-Request-Id, for support."),
  })
  .describe("RFC 9457 problem details.");

export type ProblemBody = z.infer<typeof problemSchema>;
