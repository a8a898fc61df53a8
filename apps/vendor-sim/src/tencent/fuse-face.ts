import { createHash } from "node:crypto";
import { type Box, centralFaceBox, type FacePatch, fuseFaces, scaleBox } from "../images/fusion";
import {
  analyseImage,
  decodeImage,
  encodeRaw,
  NO_FACE_STDDEV,
  probeImage,
  type RawImage,
} from "../images/inspect";
import { addLogo, clipBox, defaultLogoBox } from "../images/logo";
import { decodeBase64Strict, fetchImage, parseHttpUrl } from "../images/sources";
import type { SimAnswer, VendorCall } from "../pipeline";
import { type SimContext, storeResult } from "../sim-context";
import { tencentError, tencentSuccess } from "./errors";
import type { FaceRect, FuseFaceRequest, MergeInfo } from "./fuse-face-request";
import type { MaterialCatalog, MaterialTemplate } from "./materials";

/**
 * FuseFace itself, once the request is admitted and well-formed: the material is looked up,
 * each MergeInfo's face is loaded and checked against the documented limits (jpg/png, each side
 * > 64 and < 4096, base64 ≤ 5 MB, URL image ≤ 10 MB) and blended onto its template face, then
 * the "AI" mark goes on unless LogoAdd is 0.
 */

const MB = 1024 * 1024;
const MAX_BASE64_CHARS = 5 * MB;
const MAX_URL_IMAGE_BYTES = 10 * MB;
/** Faces under 34 px are filtered out as too small (FailedOperation.FaceSizeTooSmall). */
const MIN_FACE_SIDE = 34;
/** Tencent's console default for both degrees when the request leaves them out. */
const DEFAULT_DEGREE = 50;

class FuseFailure extends Error {
  constructor(readonly answer: SimAnswer) {
    super(answer.code ?? "fuse failure");
  }
}

const fail = (code: string, message?: string) => new FuseFailure(tencentError(code, message));

interface LoadedFace {
  image: RawImage;
  format: "jpeg" | "png";
  box: Box;
}

export async function fuseFace(
  ctx: SimContext,
  catalog: MaterialCatalog,
  request: FuseFaceRequest,
  call: VendorCall,
): Promise<SimAnswer> {
  try {
    return await run(ctx, catalog, request, call);
  } catch (error) {
    if (error instanceof FuseFailure) return error.answer;
    throw error;
  }
}

async function run(ctx: SimContext, catalog: MaterialCatalog, request: FuseFaceRequest, call: VendorCall) {
  if (!catalog.hasProject(request.ProjectId)) throw fail("InvalidParameterValue.ActivityIdNotFound");
  const material = catalog.find(request.ProjectId, request.ModelId);
  if (!material) throw fail("InvalidParameterValue.MaterialIdNotFound");
  const template = await catalog.template(material);

  const faceDegree = request.FuseFaceDegree ?? DEFAULT_DEGREE;
  const profileDegree = request.FuseProfileDegree ?? DEFAULT_DEGREE;
  const unused = [...template.bySize];
  const patches: FacePatch[] = [];
  let outputFormat: "jpeg" | "png" = "jpeg";
  for (const [i, info] of request.MergeInfos.entries()) {
    const destination = templateBox(template, info, unused);
    const face = await loadFace(info, (bytes) => {
      if (i === 0) call.targetSha256 = createHash("sha256").update(bytes).digest("hex");
    });
    if (i === 0) outputFormat = face.format;
    patches.push({
      source: face.image,
      sourceBox: face.box,
      // FuseProfileDegree shapes the face outline: a higher degree takes more of the user's face shape.
      destBox: scaleBox(
        destination,
        0.85 + (0.3 * profileDegree) / 100,
        template.image.width,
        template.image.height,
      ),
      strength: 0.15 + (0.85 * faceDegree) / 100,
    });
  }

  let fused = await fuseFaces(template.image, patches);
  if (request.LogoAdd !== 0) fused = await addMark(fused, request.LogoParam);
  const bytes = await encodeRaw(fused, outputFormat);
  const image =
    request.RspImgType === "url"
      ? storeResult(ctx, "tencent", bytes, outputFormat)
      : bytes.toString("base64");
  return tencentSuccess(image);
}

/** The template face a MergeInfo goes to: its TemplateFaceID, else the largest face not yet taken. */
function templateBox(template: MaterialTemplate, info: MergeInfo, unused: string[]): Box {
  let faceId = info.TemplateFaceID;
  if (faceId !== undefined && faceId !== "" && !template.faces.has(faceId)) {
    throw fail(
      "FailedOperation.TemplateFaceIDNotExist",
      `The material face ID \`${faceId}\` does not exist.`,
    );
  }
  if (!faceId) faceId = unused[0] ?? template.bySize[0];
  const index = unused.indexOf(faceId ?? "");
  if (index >= 0) unused.splice(index, 1);
  if (info.TemplateFaceRect)
    return rectInside(info.TemplateFaceRect, template.image.width, template.image.height);
  const box = template.faces.get(faceId ?? "");
  if (!box) throw fail("FailedOperation.TemplateFaceIDNotExist");
  return box;
}

async function loadFace(info: MergeInfo, onBytes: (bytes: Buffer) => void): Promise<LoadedFace> {
  const bytes = await loadBytes(info.Url, info.Image);
  onBytes(bytes);
  const probe = await probeImage(bytes);
  if (!probe || (probe.format !== "jpeg" && probe.format !== "png"))
    throw fail("FailedOperation.ImageDecodeFailed");
  const { width, height } = probe;
  if (Math.min(width, height) <= 64) throw fail("FailedOperation.ImageResolutionTooSmall");
  if (Math.max(width, height) >= 4096) {
    throw fail(
      "FailedOperation.ImageSizeInvalid",
      `The image is ${width}x${height}; each side must be under 4096.`,
    );
  }
  const analysis = await analyseImage(bytes, probe);
  const image = analysis ? await decodeImage(bytes, probe) : null;
  if (!analysis || !image) throw fail("FailedOperation.ImageDecodeFailed");
  if (analysis.lumaStdDev < NO_FACE_STDDEV) throw fail("FailedOperation.NoFaceDetected");

  let box = centralFaceBox(image.width, image.height);
  if (info.InputImageFaceRect) {
    box = rectInside(info.InputImageFaceRect, image.width, image.height);
    if (box.width < MIN_FACE_SIDE || box.height < MIN_FACE_SIDE)
      throw fail("FailedOperation.FaceSizeTooSmall");
  }
  return { image, format: probe.format, box };
}

/** Url wins when both are given (as documented). */
async function loadBytes(url: string | undefined, image: string | undefined): Promise<Buffer> {
  if (url) {
    if (!parseHttpUrl(url)) throw fail("InvalidParameterValue.UrlIllegal");
    const fetched = await fetchImage(url, { maxBytes: MAX_URL_IMAGE_BYTES });
    if (fetched.ok) return fetched.bytes;
    if (fetched.reason === "too_large")
      throw fail("FailedOperation.ImageSizeExceed", "The URL image exceeds 10 MB.");
    throw fail("FailedOperation.ImageDownloadError");
  }
  if (!image) throw fail("InvalidParameterValue.ImageEmpty", "Each MergeInfo needs Url or Image.");
  if (image.length > MAX_BASE64_CHARS) throw fail("FailedOperation.ImageSizeExceed");
  const bytes = decodeBase64Strict(image);
  if (!bytes) throw fail("FailedOperation.ImageDecodeFailed", "Image is not valid base64.");
  return bytes;
}

function rectInside(rect: FaceRect, width: number, height: number): Box {
  if (rect.X + rect.Width > width || rect.Y + rect.Height > height) {
    throw fail("FailedOperation.FaceExceedBorder", "The face rectangle extends beyond the image.");
  }
  return { left: rect.X, top: rect.Y, width: rect.Width, height: rect.Height };
}

async function addMark(image: RawImage, logo: FuseFaceRequest["LogoParam"]): Promise<RawImage> {
  const rect = logo?.LogoRect;
  const box = rect
    ? clipBox(
        { left: rect.X, top: rect.Y, width: rect.Width, height: rect.Height },
        image.width,
        image.height,
      )
    : defaultLogoBox(image.width, image.height);
  if (!box) return image;
  let custom: Buffer | undefined;
  if (logo?.LogoUrl || logo?.LogoImage) {
    custom = await loadBytes(logo.LogoUrl, logo.LogoImage);
    const probe = await probeImage(custom);
    if (!probe || (probe.format !== "jpeg" && probe.format !== "png"))
      throw fail("FailedOperation.ImageDecodeFailed");
  }
  return addLogo(image, box, custom);
}
