import { readdirSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { usageError } from "../errors";

/** Something in the folder that is not sent, and why (said to the user, never silent). */
export interface Skipped {
  /** Relative to the folder given; a folder ends with `/`. */
  name: string;
  reason: "not an image" | "subfolder (--no-recursive)" | "link to a folder (not followed)";
}

/** What `facegate batch create <path>` sends: a folder's photos as `targets`, or one zip. */
export type BatchSource =
  | { kind: "archive"; file: string; bytes: number }
  | { kind: "targets"; files: string[]; bytes: number; skipped: Skipped[] };

/**
 * The formats facegate reads (it decides by the bytes; the extension is only how a folder is
 * sorted into photos and the rest). Anything else in the folder stays on disk.
 */
const IMAGE_EXTENSIONS = new Set([
  ".jpg",
  ".jpeg",
  ".jpe",
  ".png",
  ".webp",
  ".gif",
  ".bmp",
  ".tif",
  ".tiff",
  ".heic",
  ".heif",
  ".avif",
]);

export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** A folder (with its subfolders unless `recursive` is false) or a zip. */
export function collectBatchSource(path: string, options: { recursive?: boolean } = {}): BatchSource {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw usageError(`no such file or folder: ${path}`);
  }
  if (stats.isFile()) {
    if (extname(path).toLowerCase() !== ".zip") {
      throw usageError(`${path} is neither a folder of photos nor a .zip of them`);
    }
    return { kind: "archive", file: path, bytes: stats.size };
  }
  if (!stats.isDirectory()) throw usageError(`${path} is neither a folder nor a .zip file`);

  const files: string[] = [];
  const skipped: Skipped[] = [];
  walk(path, path, options.recursive !== false, files, skipped);
  if (files.length === 0) {
    const more = skipped.some((s) => s.name.endsWith("/")) ? ` (skipped: ${describeSkipped(skipped)})` : "";
    throw usageError(`no image files in ${path}${more}`);
  }
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  return { kind: "targets", files, bytes, skipped };
}

/** `2 not an image: notes.txt, a.pdf; 1 subfolder (--no-recursive): more/` */
export function describeSkipped(skipped: Skipped[]): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  return [...byReason]
    .map(([reason, names]) => {
      const shown =
        names.length > 5 ? `${names.slice(0, 5).join(", ")}, … (${names.length - 5} more)` : names.join(", ");
      return `${names.length} ${reason}: ${shown}`;
    })
    .join("; ");
}

/**
 * Photos in name order, subfolders included (unless `recursive` is off), so a batch's items come
 * in the order `ls -R` shows. Hidden files and folders (`.DS_Store`, `.git`) are passed over
 * silently; everything else not sent is reported with its reason. Symlinked folders are not
 * followed (a link to a parent would never end).
 */
function walk(root: string, dir: string, recursive: boolean, files: string[], skipped: Skipped[]) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const name = relative(root, path);
    if (entry.isDirectory()) {
      if (recursive) walk(root, path, recursive, files, skipped);
      else skipped.push({ name: `${name}/`, reason: "subfolder (--no-recursive)" });
      continue;
    }
    const target = entry.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : undefined;
    if (target?.isDirectory()) {
      skipped.push({ name: `${name}/`, reason: "link to a folder (not followed)" });
      continue;
    }
    if (!entry.isFile() && !target?.isFile()) continue;
    if (isImageName(entry.name)) files.push(path);
    else skipped.push({ name, reason: "not an image" });
  }
}
