import type { VendorId } from "@facegate/core";
import type { z } from "zod";
import { malformed } from "./classification";

/**
 * Parse a vendor body as JSON and check it against the documented envelope. Anything else (an HTML
 * error page from a proxy, a body cut short, a field missing) is `malformed_response`: transient,
 * because a misbehaving vendor is the vendor's problem, never the user's input.
 */
export function parseJsonBody<S extends z.ZodType>(vendor: VendorId, body: Buffer, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw malformed(vendor, body.length === 0 ? "empty body" : "body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    throw malformed(vendor, `${where}: ${issue?.message ?? "does not match the documented envelope"}`);
  }
  return parsed.data;
}
