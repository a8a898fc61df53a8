import { createHash, randomBytes } from "node:crypto";
import { newId } from "@facegate/core";
import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

export interface ApiKeyInfo {
  id: string;
  tenant: string;
  name: string;
  /** The first characters of the key, to tell keys apart in a list. */
  prefix: string;
  createdAt: number;
  /** `env`: API_KEYS; `api`: created over HTTP; `cli`: created by the CLI of earlier versions. */
  source: "env" | "cli" | "api";
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** A new key: `fg_` + 32 random bytes, base64url. Shown once; only its hash is stored. */
export function generateApiKey(): string {
  return `fg_${randomBytes(32).toString("base64url")}`;
}

export const AUTH_CACHE_MS = 5_000;
const AUTH_CACHE_ENTRIES = 10_000;

/** API keys, stored hashed: a hash from SHA-256 of the key to its info, and a per-tenant index. */
export class ApiKeys {
  private readonly cache = new Map<string, { info: ApiKeyInfo; until: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async create(tenant: string, name: string): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = generateApiKey();
    const info = await this.register(tenant, key, name, "api");
    return { key, info };
  }

  /** Store a given key (from API_KEYS at start). Idempotent: the same key keeps its id. */
  async register(
    tenant: string,
    key: string,
    name: string,
    source: ApiKeyInfo["source"],
  ): Promise<ApiKeyInfo> {
    const hash = hashKey(key);
    const existing = await this.redis.hget(this.keys.apiKeys, hash);
    if (existing) {
      const info = JSON.parse(existing) as ApiKeyInfo;
      if (info.tenant === tenant) return info;
      throw new Error("this API key is already registered to another tenant");
    }
    const info: ApiKeyInfo = {
      id: newId("key"),
      tenant,
      name,
      prefix: key.slice(0, 7),
      createdAt: Date.now(),
      source,
    };
    await this.redis
      .multi()
      .hset(this.keys.apiKeys, hash, JSON.stringify(info))
      .hset(this.keys.tenantKeys(tenant), info.id, hash)
      .exec();
    return info;
  }

  /**
   * The key's info, or undefined. Valid keys are remembered for AUTH_CACHE_MS in this process
   * (every request authenticates; a revoked key stops working within that time).
   */
  async authenticate(key: string): Promise<ApiKeyInfo | undefined> {
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.info;
    const doc = await this.redis.hget(this.keys.apiKeys, hash);
    if (!doc) {
      this.cache.delete(hash);
      return undefined;
    }
    const info = JSON.parse(doc) as ApiKeyInfo;
    if (this.cache.size >= AUTH_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(hash, { info, until: Date.now() + AUTH_CACHE_MS });
    return info;
  }

  async list(tenant: string): Promise<ApiKeyInfo[]> {
    const hashes = Object.values(await this.redis.hgetall(this.keys.tenantKeys(tenant)));
    if (hashes.length === 0) return [];
    const docs = await this.redis.hmget(this.keys.apiKeys, ...hashes);
    return docs
      .flatMap((d) => (d ? [JSON.parse(d) as ApiKeyInfo] : []))
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Every tenant's keys, oldest first (walks the key hash in pages; never the secrets). */
  async listAll(): Promise<ApiKeyInfo[]> {
    // HSCAN may return an entry twice while the hash grows: keyed by id.
    const all = new Map<string, ApiKeyInfo>();
    let cursor = "0";
    do {
      const [next, entries] = await this.redis.hscan(this.keys.apiKeys, cursor, "COUNT", 500);
      for (let i = 1; i < entries.length; i += 2) {
        const info = JSON.parse(entries[i]!) as ApiKeyInfo;
        all.set(info.id, info);
      }
      cursor = next;
    } while (cursor !== "0");
    return [...all.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** A key's info by its id, whichever tenant it belongs to. */
  async find(id: string): Promise<ApiKeyInfo | undefined> {
    return (await this.listAll()).find((k) => k.id === id);
  }

  /**
   * Delete a key. This process forgets it at once; so does every process that follows
   * revocations (`followRevocations`); any other within AUTH_CACHE_MS.
   */
  async revoke(tenant: string, id: string): Promise<boolean> {
    const hash = await this.redis.hget(this.keys.tenantKeys(tenant), id);
    if (!hash) return false;
    await this.redis
      .multi()
      .hdel(this.keys.apiKeys, hash)
      .hdel(this.keys.tenantKeys(tenant), id)
      .publish(this.keys.apiKeyRevokedChannel, hash)
      .exec();
    this.cache.delete(hash);
    return true;
  }

  /**
   * Drop a revoked key from this process's cache as soon as any process revokes it (the CLI,
   * another API process). `subscriber` is a connection of its own, in subscriber mode from now
   * on. A message missed during a reconnect still expires within AUTH_CACHE_MS.
   */
  async followRevocations(subscriber: RedisClient): Promise<void> {
    const channel = this.keys.apiKeyRevokedChannel;
    subscriber.on("message", (from: string, hash: string) => {
      if (from === channel) this.cache.delete(hash);
    });
    await subscriber.subscribe(channel);
  }
}
