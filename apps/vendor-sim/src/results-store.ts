import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import type { VendorId } from "./vendor-config";

/**
 * Result images behind the URLs the simulated vendors hand out. Each URL works until its
 * lifetime passes on the simulator's clock, then answers like the vendor's storage does for an
 * expired link, which is what the gateway's "copy before it expires" logic is tested against.
 */

export interface StoredResult {
  vendor: VendorId;
  bytes: Buffer;
  contentType: string;
  expiresAt: number;
}

export interface ResultsStoreOptions {
  now: () => number;
  /** @defaultValue 2000 */
  maxCount?: number;
  /** @defaultValue 256 MiB */
  maxBytes?: number;
}

export class ResultsStore {
  private readonly items = new Map<string, StoredResult>();
  private bytes = 0;
  private readonly maxCount: number;
  private readonly maxBytes: number;

  constructor(private readonly options: ResultsStoreOptions) {
    this.maxCount = options.maxCount ?? 2000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  /** Stores the image and returns its unguessable id. */
  put(vendor: VendorId, bytes: Buffer, contentType: string, lifetimeMs: number): string {
    const id = randomBytes(16).toString("hex");
    this.evictExpired();
    this.items.set(id, { vendor, bytes, contentType, expiresAt: this.options.now() + lifetimeMs });
    this.bytes += bytes.length;
    // Oldest first (Map keeps insertion order); the newest result always survives.
    for (const [oldId, item] of this.items) {
      if (this.items.size <= this.maxCount && this.bytes <= this.maxBytes) break;
      if (oldId === id) break;
      this.delete(oldId, item);
    }
    return id;
  }

  /** The live result, or null when unknown, of another vendor, or expired. */
  get(vendor: VendorId, id: string): StoredResult | null {
    const item = this.items.get(id);
    if (!item || item.vendor !== vendor) return null;
    if (item.expiresAt <= this.options.now()) {
      this.delete(id, item);
      return null;
    }
    return item;
  }

  get size(): number {
    return this.items.size;
  }

  clear(): void {
    this.items.clear();
    this.bytes = 0;
  }

  private evictExpired(): void {
    const now = this.options.now();
    for (const [id, item] of this.items) if (item.expiresAt <= now) this.delete(id, item);
  }

  private delete(id: string, item: StoredResult): void {
    this.items.delete(id);
    this.bytes -= item.bytes.length;
  }
}

/** How a vendor's storage answers a dead link. */
export interface DeadLinkAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** `GET <vendor>/results/:file` where file is `<id>.<ext>`. */
export function serveResult(store: ResultsStore, vendor: VendorId, dead: DeadLinkAnswer) {
  return (req: Request, res: Response): void => {
    const file = String(req.params.file ?? "");
    const id = file.replace(/\.[a-z]+$/i, "");
    const item = /^[0-9a-f]{32}$/.test(id) ? store.get(vendor, id) : null;
    if (!item) {
      res.status(dead.status).type(dead.contentType).send(dead.body);
      return;
    }
    res.status(200).type(item.contentType).set("Cache-Control", "private, max-age=0").send(item.bytes);
  };
}
