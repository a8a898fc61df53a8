import type { Readable } from "node:stream";
import type { ObjectStore } from "@facegate/storage";
import { type Entry, fromRandomAccessReaderPromise, type ZipFile } from "yauzl";
import { itemName } from "../item-name";
import { ArchiveStorageError, S3BlockReader } from "./s3-block-reader";

export interface ZipLimits {
  /** Entries the archive may hold at all (directories and skipped files included). */
  maxEntries: number;
  /** Sum of every entry's uncompressed size. */
  maxUncompressedBytes: number;
  /** One entry's uncompressed size. */
  maxEntryBytes: number;
}

/** What one entry of an uploaded archive becomes. */
export type ZipItem =
  | { kind: "image"; name: string; entry: Entry }
  | { kind: "refused"; name: string; code: "invalid_image" | "image_too_large"; reason: string };

/**
 * Entries that are not items at all: folders, and what operating systems leave behind
 * (`__MACOSX/`, `.DS_Store`, `Thumbs.db`, other hidden files).
 */
export function isSkipped(fileName: string): boolean {
  if (fileName.endsWith("/")) return true;
  const parts = fileName.split("/");
  if (parts.includes("__MACOSX")) return true;
  const base = parts[parts.length - 1]!;
  return base.startsWith(".") || base.toLowerCase() === "thumbs.db" || base.toLowerCase() === "desktop.ini";
}

const ARCHIVE_NAMES = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz)$/i;

/** Classify an entry without reading its data. */
export function classifyEntry(entry: Entry, limits: ZipLimits): ZipItem {
  const fileName = entryName(entry);
  const name = itemName(fileName, "item");
  if (ARCHIVE_NAMES.test(fileName)) {
    return {
      kind: "refused",
      name,
      code: "invalid_image",
      reason: "archives inside the archive are not unpacked",
    };
  }
  if (entry.isEncrypted())
    return { kind: "refused", name, code: "invalid_image", reason: "the entry is encrypted" };
  if (!entry.canDecodeFileData()) {
    return {
      kind: "refused",
      name,
      code: "invalid_image",
      reason: "the entry's compression method is not supported",
    };
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    return {
      kind: "refused",
      name,
      code: "image_too_large",
      reason: `the file is larger than ${limits.maxEntryBytes} bytes`,
    };
  }
  return { kind: "image", name, entry };
}

export class ArchiveRefused extends Error {
  constructor(
    readonly code: "invalid_archive" | "archive_too_large" | "too_many_items" | "no_items",
    message: string,
  ) {
    super(message);
    this.name = "ArchiveRefused";
  }
}

export interface ArchiveSummary {
  entries: number;
  items: number;
  uncompressedBytes: number;
}

/**
 * Read the central directory only and decide whether the archive is usable at all: a zip,
 * within the entry and total-size caps (zip bombs declare their sizes here, and yauzl refuses
 * entries whose data does not match what they declared), with at least one candidate item.
 */
export async function inspectArchive(
  store: ObjectStore,
  key: string,
  size: number,
  limits: ZipLimits & { maxItems: number },
): Promise<ArchiveSummary> {
  const zip = await openZip(store, key, size).catch((error: Error) => {
    throw new ArchiveRefused("invalid_archive", `the archive is not a readable zip file${why(error)}`);
  });
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveRefused(
        "too_many_items",
        `the archive has ${zip.entryCount} entries; at most ${limits.maxEntries}`,
      );
    }
    let items = 0;
    let uncompressed = 0;
    for await (const entry of zip.eachEntry()) {
      uncompressed += entry.uncompressedSize;
      if (uncompressed > limits.maxUncompressedBytes) {
        throw new ArchiveRefused(
          "archive_too_large",
          `the archive unpacks to more than ${limits.maxUncompressedBytes} bytes`,
        );
      }
      if (!isSkipped(entryName(entry))) items++;
    }
    if (items === 0) throw new ArchiveRefused("no_items", "the archive holds no files to process");
    if (items > limits.maxItems) {
      throw new ArchiveRefused(
        "too_many_items",
        `the archive holds ${items} files; at most ${limits.maxItems} per batch`,
      );
    }
    return { entries: zip.entryCount, items, uncompressedBytes: uncompressed };
  } catch (error) {
    if (error instanceof ArchiveRefused) throw error;
    throw new ArchiveRefused("invalid_archive", `the archive is damaged${why(error)}`);
  } finally {
    zip.close();
  }
}

/**
 * yauzl's own reason (a plain Error describing the zip: "invalid central directory file header
 * signature"); not JavaScript's (a RangeError from a lying header), nor storage's.
 */
function why(error: unknown): string {
  return error instanceof Error && error.constructor === Error && !(error instanceof ArchiveStorageError)
    ? ` (${error.message.slice(0, 200)})`
    : "";
}

export function openZip(store: ObjectStore, key: string, size: number): Promise<ZipFile> {
  return fromRandomAccessReaderPromise(new S3BlockReader(store, key, size), size, {
    autoClose: false,
    validateEntrySizes: true,
    strictFileNames: false,
    // Names come as bytes: yauzl would refuse the whole archive over one `../` entry, while
    // facegate never uses a name as a path anyway (see `entryName`).
    decodeStrings: false,
  });
}

/** An entry's name as text: UTF-8 when the entry says so (bit 11), else byte by byte. */
export function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  if (typeof raw === "string") return raw;
  return raw.toString(entry.generalPurposeBitFlag & 0x800 ? "utf8" : "latin1");
}

export function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return zip.openReadStreamPromise(entry);
}
