/**
 * Limits on JSON a client sends, checked on the text before (or as) it is parsed: nesting that
 * would overflow the stack of whatever walks the value later (JSON.stringify, a schema), and keys
 * a plain JavaScript object does not keep as data.
 */

/** Deepest nesting of arrays and objects any request body, field or manifest line may have. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests arrays and objects deeper than `max`: one pass over the bytes,
 * brackets inside strings ignored, no recursion (the point is to refuse what would overflow it).
 */
export function jsonTooDeep(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Keys refused in client maps (metadata, params): assigning `__proto__` to an object changes its
 * prototype instead of storing data, and `constructor`/`prototype` name what every object
 * inherits. Refused rather than kept, so a client's data is never silently changed.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** What a client is told about a reserved key. */
export const RESERVED_KEY_MESSAGE = "`__proto__`, `constructor` and `prototype` are reserved keys";

/**
 * Where parsed JSON holds a reserved key (`metadata.__proto__`), or undefined. JSON.parse keeps
 * `__proto__` as an own key, but schemas and spreads drop it or make it the prototype; so such a
 * body is refused whole. Recursive: run it on values already bounded by `jsonTooDeep`.
 */
export function reservedKeyPath(value: unknown, path = ""): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (RESERVED_KEYS.has(key)) return at;
    const found = reservedKeyPath((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return undefined;
}
