import { batchIdParam } from "@facegate/core/api-schemas";
import type { Response } from "express";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { Problem } from "../problem";

/** The caller's batch; a foreign or unknown id is a 404. */
export async function loadBatch(ctx: ApiContext, res: Response, id: string | undefined) {
  const parsed = batchIdParam.safeParse(id);
  const batch = parsed.success ? await ctx.batches.get(parsed.data, caller(res).tenant) : undefined;
  if (!batch) throw new Problem(404, "not_found", "no batch with this id");
  return batch;
}
