import { createHash } from "node:crypto";
import type { RedisClient } from "./redis-client";

/**
 * A Lua script sent by its SHA-1 (EVALSHA), its source only when the server does not know it
 * yet (after a restart or on a new server). Sending kilobytes of source with every call costs
 * more CPU than the script itself.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: RedisClient, keys: string[], args: (string | number | Buffer)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // The server's reply code, not free text: "NOSCRIPT No matching script".
      if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
