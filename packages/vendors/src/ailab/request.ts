import { EXPRESSIONS } from "@facegate/core";
import { FormData } from "undici";
import type { z } from "zod";
import { badRequest } from "../classification";
import { ailabFaceFusionParams, expressionParams, faceSlimmingParams } from "../params";
import type { VendorImage, VendorRequest } from "../types";

/** One AILab call: where to POST, the multipart body, and which field carries the result. */
export interface AilabCall {
  path: string;
  form: FormData;
  result: "image" | "image_url";
}

/** Field names exactly as the endpoint pages spell them (docs/vendors.md, AILabTools). */
export function buildAilabCall(request: VendorRequest): AilabCall {
  const form = new FormData();
  switch (request.operation) {
    case "face_fusion": {
      const params = parse(ailabFaceFusionParams, request.params);
      appendImage(form, "image_target", "target", request, "target");
      appendImage(form, "image_template", "template", request, "template");
      if (params.source_similarity !== undefined)
        form.append("source_similarity", String(params.source_similarity));
      return { path: "/api/portrait/effects/face-fusion", form, result: "image" };
    }
    case "expression": {
      const params = parse(expressionParams, request.params);
      appendImage(form, "image_target", "target", request, "target");
      form.append("service_choice", String(EXPRESSIONS[params.expression]));
      return { path: "/api/portrait/effects/emotion-editor", form, result: "image" };
    }
    case "face_slimming": {
      const params = parse(faceSlimmingParams, request.params);
      appendImage(form, "image", "image", request, "target");
      form.append("slim_degree", String(params.slim_degree));
      return { path: "/api/portrait/effects/smart-face-slimming", form, result: "image_url" };
    }
  }
}

function parse<S extends z.ZodType>(schema: S, params: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw badRequest("ailab", `Invalid params: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  return parsed.data;
}

/** The request's `role` image as the file part `field`, named `<name>.<extension>`; refused when missing. */
function appendImage(
  form: FormData,
  field: string,
  name: string,
  request: VendorRequest,
  role: "target" | "template",
): void {
  const image = request[role];
  if (!image) throw badRequest("ailab", `A ${role} image is required`);
  form.append(field, new Blob([image.bytes], { type: image.contentType }), fileName(name, image));
}

const EXTENSIONS: Record<VendorImage["contentType"], string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/bmp": "bmp",
};

/** Some multipart parsers infer the type from the name, so it matches the bytes. */
function fileName(base: string, image: VendorImage): string {
  return `${base}.${EXTENSIONS[image.contentType]}`;
}
