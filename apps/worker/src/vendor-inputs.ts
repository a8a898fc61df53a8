import type { JobRecord, Operation, StoredInput } from "@facegate/core";
import { normaliseForVendor } from "@facegate/images";
import type { ObjectStore } from "@facegate/storage";
import type { VendorAdapter, VendorImage, VendorRequest } from "@facegate/vendors";

type Images = Pick<VendorRequest, "target" | "template" | "merges">;

/**
 * Read a job's stored inputs and fit each to the vendor's limits. Images that already fit
 * pass through untouched but for metadata (EXIF) removal; only the rest are re-encoded.
 */
export async function prepareVendorImages(
  record: JobRecord,
  adapter: VendorAdapter,
  store: ObjectStore,
  maxPixels: number,
): Promise<Images> {
  const prepare = async (input: StoredInput, role: "target" | "template", operation: Operation) => {
    const bytes = await store.get(input.key);
    const image = await normaliseForVendor(bytes, adapter.limits(operation, role), { maxPixels });
    return image as VendorImage;
  };
  const { inputs, operation } = record;
  return {
    target: inputs.target ? await prepare(inputs.target, "target", operation) : undefined,
    template: inputs.template ? await prepare(inputs.template, "template", operation) : undefined,
    merges: inputs.merges
      ? await Promise.all(
          inputs.merges.map(async (m) => ({
            image: await prepare(m.image, "target", operation),
            templateFaceId: m.templateFaceId,
            inputFaceRect: m.inputFaceRect,
          })),
        )
      : undefined,
  };
}
