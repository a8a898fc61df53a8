import { isFinal, type StoredInput } from "@facegate/core";
import { thumbnail } from "@facegate/images";
import { outputAvailable } from "@facegate/jobs";
import { ObjectNotFoundError } from "@facegate/storage";
import { Router } from "express";
import { z } from "zod";
import type { ApiContext } from "../context";
import { loadJob } from "../jobs/load-job";
import { noBody } from "../middleware/body-limits";
import { Problem } from "../problem";

export const thumbnailRole = z.enum(["target", "template", "result"]);

/**
 * Small previews of a job's pictures, made by facegate from its own copies (never a vendor's
 * link): the result while it is retained, the inputs only while the job runs — inputs are
 * personal data, deleted once the job is final.
 */
export function thumbnailsRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/v1/jobs/:id/thumbnails/:role", noBody, async (req, res) => {
    const record = await loadJob(ctx, req, res);
    const role = thumbnailRole.safeParse(req.params.role);
    if (!role.success) throw new Problem(404, "not_found", "thumbnails are of target, template or result");
    if (record.erasedAt) throw new Problem(410, "erased", "the job's data was erased");

    let key: string;
    if (role.data === "result") {
      if (!record.output)
        throw new Problem(409, "no_output", `the job is ${record.status}; only succeeded jobs have a result`);
      if (!outputAvailable(record))
        throw new Problem(410, "output_expired", "the output was deleted after its retention period");
      key = record.output.key;
    } else {
      const input: StoredInput | undefined =
        role.data === "target"
          ? (record.inputs.target ?? record.inputs.merges?.[0]?.image)
          : record.inputs.template;
      if (!input) throw new Problem(404, "not_found", `this job has no ${role.data}`);
      if (isFinal(record.status) && !input.shared) throw inputsDeleted();
      key = input.key;
    }

    let bytes: Buffer;
    try {
      bytes = await ctx.store.get(key);
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw role.data === "result" ? expired() : inputsDeleted();
      throw error;
    }
    let small: Buffer;
    try {
      small = await thumbnail(bytes, ctx.config.api.maxImagePixels);
    } catch {
      throw new Problem(422, "no_thumbnail", "this image cannot be previewed");
    }
    res.setHeader("cache-control", "private, max-age=300");
    res.type("image/jpeg").send(small);
  });

  return router;
}

const inputsDeleted = () =>
  new Problem(410, "input_deleted", "inputs are deleted once their job is final (they are personal data)");
const expired = () => new Problem(410, "output_expired", "the output was deleted after its retention period");
