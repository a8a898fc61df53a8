import { createHash } from "node:crypto";
import { type Config, loadConfig } from "@facegate/config";
import { type Operation, type RemoteVendorId, VendorError, type VendorId } from "@facegate/core";
import { startVendorSim, syntheticFace, type VendorSim } from "@facegate/vendor-sim";
import {
  type AdapterOptions,
  closeAdapters,
  createAdapters,
  type VendorAdapter,
  type VendorImage,
  type VendorRequest,
} from "@facegate/vendors";
import sharp from "sharp";
import { testEnv } from "../support/test-env";

/**
 * The contract rig: a fresh `apps/vendor-sim` over HTTP and the real adapters from
 * `@facegate/vendors`, built by `createAdapters` from the same env a deployment would set. The two
 * sides share no code, so every assertion here checks one reading of the vendors' docs against the
 * other. The simulator's clock can be moved (`rig.advance`) to expire result URLs and clear rate
 * windows without sleeping.
 */
export interface ContractRig {
  sim: VendorSim;
  config: Config["vendors"];
  adapters: Map<VendorId, VendorAdapter>;
  adapter(vendor: VendorId): VendorAdapter;
  /** The target and template every row's request is made of (see `rowRequest`). */
  images: Images;
  /**
   * Moves the simulator's clock (result expiry, rate windows, Tencent's timestamp check). Tests
   * that jump ahead step back by the same amount before calling a vendor again.
   */
  advance(ms: number): void;
  /** A fresh rate window for every credential: the clock one second and a bit ahead. */
  nextSecond(): void;
  /** More adapters on the same simulator, e.g. with a short timeout or a wrong key; closed with the rig. */
  extraAdapters(env: Record<string, string>, options?: AdapterOptions): Map<VendorId, VendorAdapter>;
  close(): Promise<void>;
}

export async function startContractRig(): Promise<ContractRig> {
  let offsetMs = 0;
  const sim = await startVendorSim({ now: () => Date.now() + offsetMs });
  const build = (env: Record<string, string>, options?: AdapterOptions) =>
    createAdapters(loadConfig(testEnv(sim, { VENDOR_TIMEOUT_MS: "10000", ...env })).vendors, options);
  const config = loadConfig(testEnv(sim, { VENDOR_TIMEOUT_MS: "10000" })).vendors;
  const adapters = createAdapters(config);
  const extras: Map<VendorId, VendorAdapter>[] = [];
  return {
    sim,
    config,
    adapters,
    images: await images(),
    adapter(vendor) {
      const adapter = adapters.get(vendor);
      if (!adapter) throw new Error(`no ${vendor} adapter`);
      return adapter;
    },
    advance(ms) {
      offsetMs += ms;
    },
    nextSecond() {
      offsetMs += 1_100;
    },
    extraAdapters(env, options) {
      const made = build(env, options);
      extras.push(made);
      return made;
    },
    async close() {
      await Promise.all([adapters, ...extras].map((a) => closeAdapters(a)));
      await sim.close();
    },
  };
}

/** A synthetic portrait as an adapter receives it (already normalised: small JPEG or PNG). */
export async function portrait(
  hue = 30,
  options: { width?: number; height?: number; format?: "jpeg" | "png" } = {},
): Promise<VendorImage> {
  const width = options.width ?? 320;
  const height = options.height ?? 400;
  const format = options.format ?? "jpeg";
  const bytes = await syntheticFace({ hue, width, height, format });
  return { bytes, contentType: format === "png" ? "image/png" : "image/jpeg", width, height };
}

/** A uniform picture: every simulator finds no face in it. */
export async function blankImage(width = 320, height = 320): Promise<VendorImage> {
  const bytes = await sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 150, b: 120 } },
  })
    .jpeg()
    .toBuffer();
  return { bytes, contentType: "image/jpeg", width, height };
}

export interface Images {
  target: VendorImage;
  template: VendorImage;
}

async function images(): Promise<Images> {
  return { target: await portrait(30), template: await portrait(210, { width: 360, height: 450 }) };
}

/** The request each of the five rows of the operations table in docs/vendors.md takes. */
export function rowRequest(
  vendor: VendorId,
  operation: Operation,
  imgs: Images,
  params: Record<string, unknown> = {},
  credential = 0,
): VendorRequest {
  const withTemplate = operation === "face_fusion" && vendor !== "tencent";
  return {
    operation,
    target: imgs.target,
    template: withTemplate ? imgs.template : undefined,
    params:
      operation === "expression" && !("expression" in params) ? { expression: "sad", ...params } : params,
    credential,
  };
}

export const ROWS: readonly [RemoteVendorId, Operation][] = [
  ["ailab", "face_fusion"],
  ["aigs", "face_fusion"],
  ["tencent", "face_fusion"],
  ["ailab", "expression"],
  ["ailab", "face_slimming"],
];

/** The VendorError a call fails with; fails the test if it succeeds or throws anything else. */
export async function vendorFailure(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof VendorError) return error;
    throw error;
  }
  throw new Error("expected a VendorError, but the call succeeded");
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The image format of some bytes, as sharp reads it. */
export async function formatOf(bytes: Buffer): Promise<string | undefined> {
  return (await sharp(bytes).metadata()).format;
}

export type AilabPath = "face-fusion" | "emotion-editor" | "smart-face-slimming";

/**
 * An AILab call built by hand from the endpoint pages (docs/vendors.md, AILabTools), with no adapter code: the
 * result image's bytes (base64 decoded, or downloaded from `image_url`).
 */
export async function ailabDirect(
  sim: VendorSim,
  path: AilabPath,
  fields: Record<string, string | Buffer>,
): Promise<Buffer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)], { type: "image/jpeg" }), `${name}.jpg`);
  }
  const res = await fetch(`${sim.urls.ailab}/api/portrait/effects/${path}`, {
    method: "POST",
    headers: { "ailabapi-api-key": sim.credentials.ailabApiKey },
    body: form,
  });
  const json = (await res.json()) as { data?: { image?: string; image_url?: string } };
  if (res.status !== 200) throw new Error(`AILab sim answered ${res.status}: ${JSON.stringify(json)}`);
  if (json.data?.image) return Buffer.from(json.data.image, "base64");
  return Buffer.from(await (await fetch(json.data!.image_url!)).arrayBuffer());
}

/** A 24-bit bottom-up BMP of an image (sharp cannot write BMP). */
export async function toBmp(image: Buffer): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const stride = Math.ceil((info.width * 3) / 4) * 4;
  const file = Buffer.alloc(54 + stride * info.height);
  file.write("BM", 0, "latin1");
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(info.width, 18);
  file.writeInt32LE(info.height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  for (let y = 0; y < info.height; y++) {
    const row = 54 + (info.height - 1 - y) * stride;
    for (let x = 0; x < info.width; x++) {
      const p = (y * info.width + x) * 3;
      file[row + x * 3] = data[p + 2]!;
      file[row + x * 3 + 1] = data[p + 1]!;
      file[row + x * 3 + 2] = data[p]!;
    }
  }
  return file;
}
