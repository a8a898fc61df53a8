import type { JobRecord } from "@facegate/core";
import { createJob } from "@facegate/jobs";
import { ClaimLost } from "@facegate/records";
import type { ApiContext } from "../context";
import { Problem } from "../problem";
import { type AcceptedJob, discard } from "./accept";

const inUse = () =>
  new Problem(
    409,
    "idempotency_key_in_use",
    "a request with this Idempotency-Key is still being processed",
    undefined,
    { "retry-after": "1" },
  );

/**
 * Create the accepted job under an `Idempotency-Key`: once, whatever retries and crashes come
 * between. The claim is this request's lease while it creates the job, and records the job's id
 * in the step that creates it; a retry after a crash finds that job, or takes the claim over
 * when none was created.
 */
export async function createOnce(
  ctx: ApiContext,
  tenant: string,
  key: string,
  accepted: AcceptedJob,
  requestId: string,
): Promise<JobRecord> {
  const hold = ctx.idempotency.hold(tenant, key, accepted.spec.id);
  const claim = await ctx.idempotency.claim(hold, accepted.fingerprint());
  if (claim.status !== "new") {
    await discard(ctx, storedInputs(accepted));
    if (claim.status === "mismatch") {
      throw new Problem(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key was used with a different request",
      );
    }
    if (claim.status === "in_progress") throw inUse();
    const record = await ctx.records.getForTenant(tenant, claim.jobId);
    if (!record) throw new Problem(404, "not_found", "the job created with this Idempotency-Key is gone");
    return record;
  }
  const stopRenewing = ctx.idempotency.keepAlive(hold, (error) =>
    ctx.logger.warn({ err: error, requestId }, "idempotency claim not renewed"),
  );
  try {
    return await createJob(ctx, { ...accepted.spec, requestId, claim: hold });
  } catch (error) {
    await discard(ctx, storedInputs(accepted));
    // Taken over by a retry (this request was thought dead): that retry creates the job.
    if (error instanceof ClaimLost) throw inUse();
    await ctx.idempotency.release(hold).catch(() => undefined);
    throw error;
  } finally {
    stopRenewing();
  }
}

function storedInputs(accepted: AcceptedJob) {
  const { target, template, merges } = accepted.spec.inputs;
  return [target, template, ...(merges ?? []).map((m) => m.image)].filter((s) => s !== undefined);
}
