import { PassThrough, type Readable } from "node:stream";
import type { ObjectStore } from "@facegate/storage";
import { RandomAccessReader } from "yauzl";

/**
 * Reading the archive from storage failed (worth retrying), as opposed to the archive's own bytes
 * being unusable (a bad deflate stream, an entry longer than it declared: never worth retrying).
 */
export class ArchiveStorageError extends Error {
  constructor(cause: unknown) {
    super("the archive could not be read from storage", { cause });
    this.name = "ArchiveStorageError";
  }
}

/** Archives are read from S3 in blocks of this size (ranged GETs), a few kept in memory. */
const BLOCK_BYTES = 1024 * 1024;
const BLOCKS_KEPT = 8;

/**
 * Random access to an S3 object for yauzl, through a small block cache: the central directory
 * (thousands of small reads) costs one GET, and extracting entries in order reads the archive
 * about once, a block at a time. Memory: at most BLOCKS_KEPT blocks.
 */
export class S3BlockReader extends RandomAccessReader {
  private readonly blocks = new Map<number, Promise<Buffer>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly key: string,
    private readonly size: number,
  ) {
    super();
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached) {
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    const start = index * BLOCK_BYTES;
    const end = Math.min(this.size, start + BLOCK_BYTES) - 1;
    const loading = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.store.getStream(this.key, { start, end }))
        chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    })();
    loading.catch(() => this.blocks.delete(index));
    this.blocks.set(index, loading);
    while (this.blocks.size > BLOCKS_KEPT) this.blocks.delete(this.blocks.keys().next().value as number);
    return loading;
  }

  /** Bytes [start, end) as a stream fed block by block. */
  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    void (async () => {
      try {
        for (let pos = start; pos < end; ) {
          const index = Math.floor(pos / BLOCK_BYTES);
          const block = await this.block(index);
          const from = pos - index * BLOCK_BYTES;
          const to = Math.min(block.length, end - index * BLOCK_BYTES);
          if (to <= from) throw new Error("archive read past its end");
          if (!out.write(block.subarray(from, to))) await new Promise((r) => out.once("drain", r));
          if (out.destroyed) return;
          pos += to - from;
        }
        out.end();
      } catch (error) {
        out.destroy(new ArchiveStorageError(error));
      }
    })();
    return out;
  }
}
