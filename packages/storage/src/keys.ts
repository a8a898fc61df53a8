/**
 * Every object key is built here, from parts that cannot climb out of their place:
 * no `..`, no slashes inside a part, no empty parts, a conservative character set.
 */
const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function objectKey(...parts: string[]): string {
  for (const part of parts) {
    if (!PART.test(part) || part.includes("..")) {
      throw new Error(`unsafe object key part: ${JSON.stringify(part.slice(0, 40))}`);
    }
  }
  return parts.join("/");
}

/** Where each kind of object lives. Tenants and ids are validated by `objectKey`. */
export const keys = {
  input: (tenant: string, jobId: string, role: string) => objectKey("inputs", tenant, jobId, role),
  output: (tenant: string, jobId: string, ext: string) =>
    objectKey("outputs", tenant, jobId, `result.${ext}`),
  batchUpload: (tenant: string, batchId: string, name: string) => objectKey("batches", tenant, batchId, name),
  /** Everything one job keeps in an area (erasure deletes by it). */
  jobPrefix: (area: "inputs" | "outputs", tenant: string, jobId: string) => objectKey(area, tenant, jobId),
};
