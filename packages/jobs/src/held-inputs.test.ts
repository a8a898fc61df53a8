import { describe, expect, it } from "vitest";
import { HELD_INPUT_MAX_BYTES, HOLD_WHILE_OPEN_BELOW, inputHolder } from "./held-inputs";

describe("inputHolder", () => {
  it("keeps the small inputs of a tenant with few jobs open, and not the large ones", () => {
    const { held, hold } = inputHolder(HOLD_WHILE_OPEN_BELOW - 1);
    hold?.("small", Buffer.alloc(HELD_INPUT_MAX_BYTES));
    hold?.("large", Buffer.alloc(HELD_INPUT_MAX_BYTES + 1));
    expect([...held.keys()]).toEqual(["small"]);
  });

  it("keeps nothing once the tenant has many jobs open: their inputs would wait in Redis", () => {
    const { held, hold } = inputHolder(HOLD_WHILE_OPEN_BELOW);
    expect(hold).toBeUndefined();
    expect(held.size).toBe(0);
  });
});
