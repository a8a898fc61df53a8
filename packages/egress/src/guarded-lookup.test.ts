import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { describe, expect, it } from "vitest";
import { EgressError } from "./errors";
import { guardedLookup, refusedClass, resolveAll } from "./guarded-lookup";
import { scriptedLookup } from "./test-support";

type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

/** Call a lookup the way net.connect does and collect its one answer. */
function ask(lookup: LookupFunction, hostname: string, all: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    lookup(hostname, { all }, (err, address, family) => resolve({ err, address, family }));
  });
}

describe("guardedLookup", () => {
  it("hands the socket exactly the addresses it judged", async () => {
    const guarded = guardedLookup(scriptedLookup({ "ok.example": ["93.184.216.34", "2606:4700::1111"] }));
    expect(await ask(guarded, "ok.example", true)).toEqual({
      err: null,
      address: [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:4700::1111", family: 6 },
      ],
      family: undefined,
    });
    expect(await ask(guarded, "ok.example", false)).toEqual({
      err: null,
      address: "93.184.216.34",
      family: 4,
    });
  });

  it("resolves once per connection, so a rebinding name cannot swap answers after the check", async () => {
    // Public on odd calls, loopback on even calls: each connection gets one answer and is judged on it.
    const inner = scriptedLookup({
      "rebind.example": (n) => (n % 2 === 1 ? ["93.184.216.34"] : ["127.0.0.1"]),
    });
    const guarded = guardedLookup(inner);
    const first = await ask(guarded, "rebind.example", false);
    const second = await ask(guarded, "rebind.example", false);
    expect(first).toEqual({ err: null, address: "93.184.216.34", family: 4 });
    expect(second.err).toBeInstanceOf(EgressError);
    expect((second.err as unknown as EgressError).code).toBe("url_not_allowed");
    expect(second.address).toBe("");
    expect(inner.calls.get("rebind.example")).toBe(2);
  });

  it("refuses the whole name when one answer is private", async () => {
    const guarded = guardedLookup(scriptedLookup({ "mixed.example": ["93.184.216.34", "192.168.0.1"] }));
    const answer = await ask(guarded, "mixed.example", true);
    expect((answer.err as unknown as EgressError).code).toBe("url_not_allowed");
  });

  it("passes resolver errors through", async () => {
    const answer = await ask(guardedLookup(scriptedLookup({})), "nothing.example", true);
    expect(answer.err?.code).toBe("ENOTFOUND");
  });

  it("treats an empty answer as not found", async () => {
    const empty: LookupFunction = (_host, _options, callback) => callback(null, []);
    const answer = await ask(guardedLookup(empty), "empty.example", true);
    expect(answer.err?.code).toBe("ENOTFOUND");
  });
});

describe("resolveAll / refusedClass", () => {
  it("accepts a resolver that answers with a single address", async () => {
    const single: LookupFunction = (_host, _options, callback) => callback(null, "2606:4700::1111", 6);
    expect(await resolveAll(single, "x")).toEqual([{ address: "2606:4700::1111", family: 6 }]);
  });

  it("names the first refused class", () => {
    expect(refusedClass([{ address: "1.1.1.1", family: 4 }])).toBeUndefined();
    expect(
      refusedClass([
        { address: "1.1.1.1", family: 4 },
        { address: "fe80::1", family: 6 },
      ]),
    ).toBe("link_local");
  });
});
