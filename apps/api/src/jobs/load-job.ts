import type { Request, Response } from "express";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { Problem } from "../problem";
import { jobIdParam } from "./schemas";

/** The caller's job named in the path; a foreign or unknown id is a 404, never a hint it exists. */
export async function loadJob(ctx: ApiContext, req: Request, res: Response) {
  const id = jobIdParam.safeParse(req.params.id);
  const record = id.success ? await ctx.records.getForTenant(caller(res).tenant, id.data) : undefined;
  if (!record) throw new Problem(404, "not_found", "no job with this id");
  return record;
}
