import { createHash } from "node:crypto";
import { expect } from "vitest";
import { face, form } from "./images";
import type { TestSystem } from "./system";

/** A job as submitted, with its target's SHA-256: the simulator's call log names calls by it. */
export interface SubmittedJob {
  id: string;
  sha: string;
}

/** Submits a face-fusion job (multipart) with `face(hue)` as its target; it must be accepted (202). */
export async function submitFusion(
  t: TestSystem,
  hue: number,
  options: { templateHue?: number; vendor?: string } = {},
): Promise<SubmittedJob> {
  const target = await face(hue);
  const res = await t.api("/v1/jobs", {
    method: "POST",
    body: form(
      { operation: "face_fusion", vendor: options.vendor ?? "ailab" },
      { target, template: await face(options.templateHue ?? 200) },
    ),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return { id, sha: createHash("sha256").update(target).digest("hex") };
}
