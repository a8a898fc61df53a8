import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Pacer } from "./pacer";

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
});
afterAll(() => redis.disconnect());

const key = () => `pacer-test:${randomBytes(4).toString("hex")}`;
const FIXED = { adaptive: false };

describe("Pacer", () => {
  it("spaces calls one interval apart on one credential", async () => {
    const pacer = new Pacer(redis, key(), 1, 10, FIXED, 0);
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const slot = await pacer.acquire(10_000);
      starts.push(slot.grantedAt! + slot.waitMs);
    }
    // Reserved back to back: one interval (100 ms) apart, however long each request took.
    for (let i = 1; i < 5; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(99);
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(399);
  });

  it("spreads calls over a pool, each credential at its own rate", async () => {
    const pacer = new Pacer(redis, key(), 3, 1, FIXED, 0);
    const slots = [];
    for (let i = 0; i < 6; i++) slots.push(await pacer.acquire(10_000));
    const first = slots.slice(0, 3);
    expect(new Set(first.map((s) => s.credential))).toEqual(new Set([0, 1, 2]));
    expect(first.every((s) => s.waitMs === 0)).toBe(true);
    // The next round waits about a second on each credential.
    for (const s of slots.slice(3)) expect(s.waitMs).toBeGreaterThan(900);
  });

  it("refuses a slot further away than the caller will wait, without reserving it", async () => {
    const pacer = new Pacer(redis, key(), 1, 1, FIXED, 0);
    expect((await pacer.acquire(0)).credential).toBe(0);
    const far = await pacer.acquire(100);
    expect(far.credential).toBeUndefined();
    expect(far.waitMs).toBeGreaterThan(800);
    const again = await pacer.acquire(100);
    expect(again.waitMs).toBeLessThanOrEqual(far.waitMs);
  });

  it("holds a credential back when the vendor said it was too fast", async () => {
    const pacer = new Pacer(redis, key(), 2, 100, FIXED, 0);
    await pacer.refused(0, undefined, 5_000);
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push((await pacer.acquire(1_000)).credential);
    expect(picks).toEqual([1, 1, 1, 1]);
  });

  it("gives up a slot it reached late and waits for the next one", async () => {
    const pacer = new Pacer(redis, key(), 1, 10, FIXED, 0.03); // 103 ms apart, 21 ms lateness tolerated
    await pacer.acquire(10_000);
    const started = performance.now();
    const waiting = pacer.waitForSlot(10_000);
    // Once the slot ~100 ms ahead is reserved, hold the event loop well past it.
    await new Promise((r) => setTimeout(r, 30));
    while (performance.now() - started < 180) {}
    const slot = await waiting;
    expect(slot.credential).toBe(0);
    expect(slot.missed).toBeGreaterThanOrEqual(1);
    // The call goes out in a later slot (~206 ms), not at the moment the loop came free.
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it("does not pace when no rate is set", async () => {
    const pacer = new Pacer(redis, key(), 1, 0);
    expect(pacer.paced).toBe(false);
    for (let i = 0; i < 3; i++) expect((await pacer.acquire(0)).waitMs).toBe(0);
  });
});
