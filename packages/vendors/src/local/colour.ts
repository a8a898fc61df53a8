/**
 * Reinhard-style colour transfer in YCbCr: the warped face's brightness and colour (mean and
 * spread per channel, over the blend mask) are moved to the template's skin under the same mask,
 * so the pasted face takes the template's light and skin tone while keeping its own features.
 */
export function matchColour(
  warped: Float32Array,
  template: Uint8Array,
  weight: Float32Array,
  /** Spread ratios are kept within [1/limit, limit]: a shadowed face must not be blown out. */
  limit = 2,
): void {
  const n = weight.length;
  const stats = (get: (i: number, c: number) => number) => {
    const mean = [0, 0, 0];
    const sq = [0, 0, 0];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weight[i]!;
      if (w < 0.5) continue;
      total += 1;
      const ycc = toYcc(get(i, 0), get(i, 1), get(i, 2));
      for (let c = 0; c < 3; c++) {
        mean[c]! += ycc[c]!;
        sq[c]! += ycc[c]! * ycc[c]!;
      }
    }
    const m = mean.map((v) => v / Math.max(total, 1));
    const sd = sq.map((v, c) => Math.sqrt(Math.max(v / Math.max(total, 1) - m[c]! * m[c]!, 1e-6)));
    return { m, sd };
  };
  const src = stats((i, c) => warped[i * 3 + c]!);
  const dst = stats((i, c) => template[i * 3 + c]!);
  const ratio = src.sd.map((s, c) => Math.min(limit, Math.max(1 / limit, dst.sd[c]! / s)));
  for (let i = 0; i < n; i++) {
    if (weight[i]! <= 0) continue;
    const ycc = toYcc(warped[i * 3]!, warped[i * 3 + 1]!, warped[i * 3 + 2]!);
    for (let c = 0; c < 3; c++) ycc[c] = (ycc[c]! - src.m[c]!) * ratio[c]! + dst.m[c]!;
    const rgb = fromYcc(ycc[0]!, ycc[1]!, ycc[2]!);
    warped[i * 3] = rgb[0]!;
    warped[i * 3 + 1] = rgb[1]!;
    warped[i * 3 + 2] = rgb[2]!;
  }
}

const toYcc = (r: number, g: number, b: number) => [
  0.299 * r + 0.587 * g + 0.114 * b,
  128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
  128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
];

const fromYcc = (y: number, cb: number, cr: number) => [
  y + 1.402 * (cr - 128),
  y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
  y + 1.772 * (cb - 128),
];
