/** The operations facegate offers and which vendors can run each one. */
/** `local` runs on the worker's CPU; `auto` uses it only when VENDOR_PREFERENCE names it. */
export const VENDORS = ["ailab", "aigs", "tencent", "local"] as const;
export type VendorId = (typeof VENDORS)[number];
/** The vendors called over HTTP (and stood in for by the simulator). */
export const REMOTE_VENDORS = ["ailab", "aigs", "tencent"] as const satisfies readonly VendorId[];
export type RemoteVendorId = (typeof REMOTE_VENDORS)[number];

export const OPERATIONS = ["face_fusion", "expression", "face_slimming"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The image roles an operation takes. `merges` is Tencent's multi-face form of `target`. */
export const INPUT_ROLES = ["target", "template"] as const;
export type InputRole = (typeof INPUT_ROLES)[number];

export const CAPABILITIES: Record<Operation, readonly VendorId[]> = {
  face_fusion: ["ailab", "aigs", "tencent", "local"],
  expression: ["ailab"],
  face_slimming: ["ailab", "local"],
};

export function vendorsFor(operation: Operation): readonly VendorId[] {
  return CAPABILITIES[operation];
}

/** User-facing names of AILab's emotion-editor `service_choice` codes. */
export const EXPRESSIONS = {
  dimple_smile: 10,
  pear_dimple_smile: 11,
  big_grin: 12,
  standard_grin: 13,
  cool_pose: 14,
  sad: 15,
  forced_smile: 16,
  open_eyes: 100,
} as const;
export type Expression = keyof typeof EXPRESSIONS;
