import type { InputRole, JobInputs, Operation, StoredInput, VendorId } from "@facegate/core";
import { ImageError } from "@facegate/images";
import { sizeRefusal, VENDOR_LIMITS } from "@facegate/vendors";

/**
 * Which vendors can take a job's stored inputs, judged from what their headers tell (pixel
 * bounds; any readable format is converted before the call). Under `auto` a job is routed only
 * to vendors that take its images; when none of the vendors able to do the request does, the
 * API refuses it at once (422) instead of queueing a job bound to fail.
 */

/** Why `vendor` cannot take these inputs, or undefined when it can. */
export function inputsRefusal(vendor: VendorId, operation: Operation, inputs: JobInputs): string | undefined {
  const images: [InputRole, string, StoredInput | undefined][] = [
    ["target", "target", inputs.target],
    ["template", "template", inputs.template],
    ...(inputs.merges ?? []).map((m, i): [InputRole, string, StoredInput] => [
      "target",
      `merges[${i}]`,
      m.image,
    ]),
  ];
  for (const [role, name, image] of images) {
    if (!image) continue;
    let refusal: string | undefined;
    try {
      refusal = sizeRefusal(image, VENDOR_LIMITS[vendor](operation, role));
    } catch {
      // The vendor takes no such image at all: the job spec check has said so already.
      continue;
    }
    if (refusal) return `${vendor} cannot take the ${name} image: ${refusal}`;
  }
  return undefined;
}

/** The vendors among `candidates` that take these inputs, in the same order. */
export function vendorsAccepting(
  candidates: readonly VendorId[],
  operation: Operation,
  inputs: JobInputs,
): VendorId[] {
  return candidates.filter((vendor) => inputsRefusal(vendor, operation, inputs) === undefined);
}

/**
 * Refuse (ImageError `image_too_small`, a 422 at the API) inputs that no candidate vendor can
 * take; the message says why for each.
 */
export function assertSomeVendorAccepts(
  candidates: readonly VendorId[],
  operation: Operation,
  inputs: JobInputs,
): void {
  const refusals = candidates.map((vendor) => inputsRefusal(vendor, operation, inputs));
  if (candidates.length === 0 || refusals.some((r) => r === undefined)) return;
  const why = refusals.join("; ");
  throw new ImageError(
    "image_too_small",
    candidates.length === 1 ? why : `no vendor able to do ${operation} can take this image (${why})`,
  );
}

/**
 * Whether any of `candidates` needs the image in `role` to show colour, so the API looks at it
 * while storing it (`IngestOptions.colour`) rather than the worker after.
 */
export function colourNeeded(
  candidates: readonly VendorId[],
  operation: Operation,
  role: InputRole,
): boolean {
  return candidates.some((vendor) => {
    try {
      return VENDOR_LIMITS[vendor](operation, role).colorRequired === true;
    } catch {
      return false; // the vendor takes no such image: the job spec check says so
    }
  });
}
