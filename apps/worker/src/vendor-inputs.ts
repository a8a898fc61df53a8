import type { ImageFaces, JobRecord, Operation, StoredInput } from "@facegate/core";
import { cropAroundFaces } from "@facegate/faces";
import { cropRegion, ImageError, normaliseForVendor } from "@facegate/images";
import type { ObjectStore } from "@facegate/storage";
import type { FaceRect, MergeFace, VendorAdapter, VendorImage, VendorRequest } from "@facegate/vendors";

/** Tencent's smallest `InputImageFaceRect` side. */
const MIN_RECT_PX = 30;

type Images = Pick<VendorRequest, "target" | "template" | "merges">;

/** A prepared image and, when the pre-flight ran, its largest face in the prepared pixels. */
interface Prepared {
  image: VendorImage;
  face?: FaceRect | undefined;
}

/**
 * Reads of `keys` started now, for a step that learns later which objects it needs: each is
 * handed out once, and any other key is read when asked for. A read never asked for (the job
 * turned out to be finished) is dropped with its error.
 */
export function readAhead(
  store: Pick<ObjectStore, "get">,
  keys: readonly string[] = [],
): Pick<ObjectStore, "get"> {
  const started = new Map<string, Promise<Buffer>>();
  for (const key of keys) {
    const reading = store.get(key);
    reading.catch(() => undefined);
    started.set(key, reading);
  }
  return {
    get(key) {
      const reading = started.get(key);
      started.delete(key);
      return reading ?? store.get(key);
    },
  };
}

/** A store whose reads of the inputs a job's record holds are answered from them. */
export function withHeld(
  store: Pick<ObjectStore, "get">,
  held: ReadonlyMap<string, Buffer> = new Map(),
): Pick<ObjectStore, "get"> {
  if (held.size === 0) return store;
  return { get: async (key) => held.get(key) ?? store.get(key) };
}

/**
 * Read a job's stored inputs and fit each to the vendor's limits. Images that already fit
 * pass through untouched but for metadata (EXIF) removal; only the rest are re-encoded. When
 * the pre-flight found the faces (docs/preflight.md), a photo larger than the vendor takes is
 * cut around its faces rather than shrunk, and Tencent is told where the face is.
 */
export async function prepareVendorImages(
  record: JobRecord,
  adapter: VendorAdapter,
  store: Pick<ObjectStore, "get">,
  maxPixels: number,
): Promise<Images> {
  const prepare = async (
    input: StoredInput,
    role: "target" | "template",
    operation: Operation,
    faces?: ImageFaces,
  ): Promise<Prepared> => {
    let bytes = await store.get(input.key);
    const limits = adapter.limits(operation, role);
    const region = faces ? cropAroundFaces(faces, faces.faces, limits.maxSide) : undefined;
    if (region) bytes = await cropRegion(bytes, region, maxPixels);
    // The API's look at the photo's colour holds for the photo, not for a cut of it.
    const colour = region ? undefined : input.colour;
    const image = (await normaliseForVendor(bytes, limits, { maxPixels, colour }).catch((error: unknown) => {
      // Name the vendor: "this vendor" means nothing once the job is failed and read later.
      if (error instanceof ImageError && error.code === "image_not_accepted") {
        throw new ImageError(
          "image_not_accepted",
          error.message.replace("this vendor", `${adapter.id} (${operation}, ${role} image)`),
        );
      }
      throw error;
    })) as VendorImage;
    const largest = faces?.faces[0];
    if (!faces || !largest) return { image };
    // Face boxes are in the stored photo's pixels; move them into the cut, then the scaled image.
    const origin = region ?? { left: 0, top: 0, width: faces.width, height: faces.height };
    const scale = image.width / origin.width;
    const x = Math.max(0, (largest.x - origin.left) * scale);
    const y = Math.max(0, (largest.y - origin.top) * scale);
    const face = {
      x,
      y,
      width: Math.min(largest.width * scale, image.width - x),
      height: Math.min(largest.height * scale, image.height - y),
    };
    // Tencent takes no rectangle under 30 px; without one it finds the face itself.
    return { image, face: face.width >= MIN_RECT_PX && face.height >= MIN_RECT_PX ? face : undefined };
  };
  const { inputs, operation, faces } = record;
  // Read and fitted side by side: the call waits on the slowest image, not the sum.
  const [target, preparedTemplate, preparedMerges] = await Promise.all([
    inputs.target ? prepare(inputs.target, "target", operation, faces?.target) : undefined,
    inputs.template ? prepare(inputs.template, "template", operation) : undefined,
    Promise.all(
      (inputs.merges ?? []).map((m, i) => prepare(m.image, "target", operation, faces?.merges?.[i])),
    ),
  ]);
  const template = preparedTemplate?.image;
  if (inputs.merges) {
    const merges: MergeFace[] = inputs.merges.map((m, i) => ({
      image: preparedMerges[i]!.image,
      templateFaceId: m.templateFaceId,
      // The caller's rectangle wins; else the face the pre-flight found.
      inputFaceRect: m.inputFaceRect ?? preparedMerges[i]!.face,
    }));
    return { target: undefined, template, merges };
  }
  if (adapter.id === "tencent" && target?.face) {
    // One MergeInfo with the face's rectangle, rather than leave Tencent to find it again.
    const templateFaceId = record.params.template_face_id as string | undefined;
    return {
      target: undefined,
      template,
      merges: [{ image: target.image, templateFaceId, inputFaceRect: target.face }],
    };
  }
  return { target: target?.image, template, merges: undefined };
}
