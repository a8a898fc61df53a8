import type { Box } from "./types";

export interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Overlapping `side`×`side` windows covering a `width`×`height` image, a quarter of a window
 * shared between neighbours so a face cut by one edge is whole in the next window.
 */
export function tileWindows(width: number, height: number, side: number): Window[] {
  const starts = (length: number): number[] => {
    if (length <= side) return [0];
    const count = Math.ceil((length - side) / (side * 0.75)) + 1;
    const step = (length - side) / (count - 1);
    return Array.from({ length: count }, (_, i) => Math.round(i * step));
  };
  const windows: Window[] = [];
  for (const top of starts(height)) {
    for (const left of starts(width)) {
      windows.push({ left, top, width: Math.min(side, width), height: Math.min(side, height) });
    }
  }
  return windows;
}

const iou = (a: Box, b: Box): number => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const shared = w * h;
  return shared / (a.width * a.height + b.width * b.height - shared);
};

/** One box per face when overlapping windows found it twice: the better-scored box stays. */
export function mergeOverlapping<T extends { box: Box; score: number }>(found: T[], threshold = 0.3): T[] {
  const kept: T[] = [];
  for (const f of [...found].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, f.box) < threshold)) kept.push(f);
  }
  return kept;
}
