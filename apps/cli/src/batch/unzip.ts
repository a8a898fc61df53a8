import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type Entry, getFileNameLowLevel, open, type ZipFile } from "yauzl";

/**
 * Unpack a zip into `dir`, flat. Every entry is written under its base name only, never a path
 * taken from the archive, so `../../.bashrc` or `/etc/x` cannot land outside `dir` (zip-slip).
 * Names are decoded here rather than by yauzl, which would stop at the first hostile name
 * instead of reducing it to its base. Directory entries and hidden names are skipped; a base
 * name seen twice (or listed in `reserved`) gets `-2`, `-3`… rather than overwriting the first.
 * Returns the names written.
 */
export async function unzipFlat(
  zipPath: string,
  dir: string,
  options: { reserved?: string[] } = {},
): Promise<string[]> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    open(zipPath, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, file) =>
      error || !file ? reject(error ?? new Error("cannot open zip")) : resolve(file),
    ),
  );
  const written: string[] = [];
  const taken = new Set<string>(options.reserved);
  try {
    for (let entry = await next(zip); entry; entry = await next(zip)) {
      const name = baseName(entry);
      if (!name) continue;
      const unique = uniqueName(taken, name);
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, createWriteStream(join(dir, unique)));
      written.push(unique);
    }
  } finally {
    zip.close();
  }
  return written;
}

/** The entry's base name, or undefined for folders, hidden files and names that are no name. */
export function baseName(entry: Entry): string | undefined {
  const raw = entry.fileName as unknown as Buffer;
  // Backslashes become slashes (strictFileNames off): `a\b.jpg` is a path on Windows tools.
  const full = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
  if (full.endsWith("/")) return undefined;
  const base = full.split("/").pop() ?? "";
  // Control characters and NUL have no place in a file name.
  const clean = base.replace(/\p{Cc}/gu, "_");
  if (clean === "" || clean.startsWith(".")) return undefined;
  return clean;
}

function uniqueName(taken: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
  taken.add(candidate);
  return candidate;
}

/** The next entry, or undefined at the end (yauzl's lazy-entries events as a promise). */
function next(zip: ZipFile): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(undefined);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}
