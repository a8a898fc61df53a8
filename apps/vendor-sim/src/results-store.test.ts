import { describe, expect, it } from "vitest";
import { ResultsStore } from "./results-store";

describe("ResultsStore", () => {
  it("serves a result until its lifetime passes on the injected clock", () => {
    let now = 1_000;
    const store = new ResultsStore({ now: () => now });
    const id = store.put("ailab", Buffer.from("x"), "image/jpeg", 500);
    expect(store.get("ailab", id)?.bytes.toString()).toBe("x");
    expect(store.get("aigs", id)).toBeNull();
    now = 1_499;
    expect(store.get("ailab", id)).not.toBeNull();
    now = 1_500;
    expect(store.get("ailab", id)).toBeNull();
    expect(store.size).toBe(0);
  });

  it("evicts expired results, then the oldest, to stay within count and bytes", () => {
    let now = 0;
    const store = new ResultsStore({ now: () => now, maxCount: 3, maxBytes: 10 });
    const short = store.put("aigs", Buffer.alloc(2), "image/jpeg", 10);
    const a = store.put("aigs", Buffer.alloc(2), "image/jpeg", 1_000);
    now = 20;
    const b = store.put("aigs", Buffer.alloc(2), "image/jpeg", 1_000);
    expect(store.get("aigs", short)).toBeNull();
    const c = store.put("aigs", Buffer.alloc(2), "image/jpeg", 1_000);
    const d = store.put("aigs", Buffer.alloc(2), "image/jpeg", 1_000);
    expect(store.size).toBe(3);
    expect(store.get("aigs", a)).toBeNull();
    expect([b, c, d].every((id) => store.get("aigs", id))).toBe(true);
    const big = store.put("aigs", Buffer.alloc(9), "image/jpeg", 1_000);
    expect(store.size).toBe(1);
    expect(store.get("aigs", big)).not.toBeNull();
  });
});
