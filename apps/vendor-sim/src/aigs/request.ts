/**
 * The faceswap JSON body. The page documents two ways, never mixed: `image_url` with
 * `template_url`, or `image_base64` with `template_base64`. Problems become `invalid_post`
 * with a detail in the page's own style ("Your image_url is empty.").
 */

export interface FaceswapInput {
  kind: "url" | "base64";
  value: string;
}

export interface FaceswapInputs {
  image: FaceswapInput;
  template: FaceswapInput;
}

export type FaceswapBody = { ok: true; value: FaceswapInputs } | { ok: false; detail: string };

const FIELDS = ["image_url", "template_url", "image_base64", "template_base64"] as const;
type Field = (typeof FIELDS)[number];

export function readFaceswapBody(bytes: Buffer): FaceswapBody {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { ok: false, detail: "Your post body is not valid JSON." };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, detail: "Your post body must be a JSON object." };
  }
  const record = json as Record<string, unknown>;
  const values: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) {
    const value = record[field];
    if (value === undefined || value === null || value === "") continue;
    if (typeof value !== "string") return { ok: false, detail: `Your ${field} must be a string.` };
    values[field] = value;
  }

  const byUrl = values.image_url !== undefined || values.template_url !== undefined;
  const byBase64 = values.image_base64 !== undefined || values.template_base64 !== undefined;
  if (byUrl && byBase64) {
    return { ok: false, detail: "Use image_url with template_url, or image_base64 with template_base64." };
  }
  const kind = byBase64 ? "base64" : "url";
  const image = kind === "url" ? values.image_url : values.image_base64;
  const template = kind === "url" ? values.template_url : values.template_base64;
  if (image === undefined) return { ok: false, detail: `Your image_${kind} is empty.` };
  if (template === undefined) return { ok: false, detail: `Your template_${kind} is empty.` };
  return { ok: true, value: { image: { kind, value: image }, template: { kind, value: template } } };
}
