import { readdirSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { usageError } from "../errors";

/** What `facegate batch create <path>` sends: a folder's photos as `targets`, or one zip. */
export type BatchSource =
  | { kind: "archive"; file: string; bytes: number }
  | { kind: "targets"; files: string[]; bytes: number; skipped: string[] };

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
  const skipped: string[] = [];
  walk(path, options.recursive === true, files, skipped);
  if (files.length === 0) {
    const more = options.recursive ? "" : " (photos in subfolders are sent with --recursive)";
    throw usageError(`no image files in ${path}${more}`);
  }
  const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
  return { kind: "targets", files, bytes, skipped: skipped.map((s) => relative(path, s)) };
}

/**
 * Photos in name order, so a batch's items come in the order `ls` shows. Hidden files and
 * folders (`.DS_Store`, `.git`) are passed over silently; other non-images are reported as
 * skipped. Symlinked folders are not followed (a link to a parent would never end).
 */
function walk(dir: string, recursive: boolean, files: string[], skipped: string[]) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) walk(path, recursive, files, skipped);
      continue;
    }
    const isFile =
      entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile());
    if (!isFile) continue;
    if (isImageName(entry.name)) files.push(path);
    else skipped.push(path);
  }
}
