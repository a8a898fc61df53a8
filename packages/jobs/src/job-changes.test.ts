import { newId } from "@facegate/core";
import { describe, expect, it } from "vitest";
import { parseJobChange } from "./job-changes";

/** What a notice's record is checked against: any JSON object with the job's id and status. */
const jobRecord = (fields: { status: string }) => ({ id: newId("job"), tenant: "acme", ...fields });

describe("parseJobChange", () => {
  const done = jobRecord({ status: "succeeded" });
  const notice = (fields: Record<string, unknown>) =>
    JSON.stringify({ id: done.id, tenant: done.tenant, batch: "", ...fields });

  it("takes the record a final write's notice carries", () => {
    const change = parseJobChange(notice({ status: "succeeded", doc: JSON.stringify(done) }));
    expect(change).toEqual({
      kind: "status",
      id: done.id,
      tenant: done.tenant,
      status: "succeeded",
      batch: undefined,
      record: done,
    });
  });

  it("leaves out a record that is not the final one the notice names", () => {
    const other = jobRecord({ status: "succeeded" });
    for (const fields of [
      { status: "running", doc: JSON.stringify({ ...done, status: "running" }) },
      { status: "failed", doc: JSON.stringify(done) },
      { status: "succeeded", doc: JSON.stringify(other) },
      { status: "succeeded" },
    ]) {
      expect(parseJobChange(notice(fields))).toMatchObject({ kind: "status", record: undefined });
    }
  });
});
