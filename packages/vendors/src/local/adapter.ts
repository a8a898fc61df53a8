import { CAPABILITIES, type ImageLimits, type InputRole, type Operation, VendorError } from "@facegate/core";
import { faceFusionStrength, faceSlimmingParams } from "../params";
import type { FetchedResult, VendorAdapter, VendorRequest, VendorResult } from "../types";
import { fuseFaces, NoFaceError, WORK_SIDE } from "./fusion";
import { localLimits } from "./limits";
import { encodeJpeg } from "./raster";
import { slimFace } from "./slim";

/**
 * `local`: face fusion and slimming on the worker's own CPU, offline, with no account
 * (docs/vendors.md, "local"). Same interface as the HTTP vendors, so it gets the same queue,
 * checkpoints, ledger, AI-generated marking and storage; its answer is always the image itself.
 * Expressions are not offered: a landmark warp cannot make a believable smile from a closed mouth.
 */
export class LocalAdapter implements VendorAdapter {
  readonly id = "local" as const;

  supports(operation: Operation): boolean {
    return CAPABILITIES[operation].includes(this.id);
  }

  limits(operation: Operation, role: InputRole): ImageLimits {
    return localLimits(operation, role);
  }

  /** One "credential": this process's CPU. */
  credentials(): string[] {
    return ["cpu"];
  }

  async call(request: VendorRequest): Promise<VendorResult> {
    request.signal?.throwIfAborted();
    const target = request.target?.bytes;
    if (!target) throw input("invalid_request", "a target image is required");
    try {
      if (request.operation === "face_fusion") {
        if (!request.template) throw input("invalid_request", "a template image is required");
        const strength = faceFusionStrength(request.params);
        const image = await fuseFaces(target, request.template.bytes, strength);
        return { kind: "bytes", bytes: await encodeJpeg(image), contentType: "image/jpeg" };
      }
      if (request.operation === "face_slimming") {
        const { slim_degree } = faceSlimmingParams.parse(request.params);
        const image = await slimFace(target, slim_degree, WORK_SIDE);
        return { kind: "bytes", bytes: await encodeJpeg(image), contentType: "image/jpeg" };
      }
    } catch (error) {
      if (error instanceof NoFaceError) throw input("no_face_detected", error.message);
      throw error;
    }
    throw input("invalid_request", `local does not run ${request.operation}`);
  }

  fetchResult(): Promise<FetchedResult> {
    // Never answers with a URL.
    return Promise.reject(
      new VendorError({
        vendor: "local",
        kind: "input",
        code: "vendor_result_expired",
        message: "no result URL",
      }),
    );
  }
}

const input = (code: "invalid_request" | "no_face_detected", message: string) =>
  new VendorError({ vendor: "local", kind: "input", code, message });

export function createLocalAdapter(): LocalAdapter {
  return new LocalAdapter();
}
