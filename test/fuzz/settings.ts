import type { Parameters } from "fast-check";

/*
 * How many inputs each property tries, and from which seed. `npm test` runs a bounded number
 * from a fixed seed (the same inputs every time: a failure there is a real failure, never
 * chance); `npm run fuzz` runs many from a fresh seed. Either way the seed is printed, and
 * FUZZ_SEED=<seed> (with the same FUZZ_RUNS) replays a run exactly.
 */

const LONG = process.env.FUZZ_RUNS !== undefined;
const runs = Number(process.env.FUZZ_RUNS ?? 0);
const seed = Number(process.env.FUZZ_SEED ?? (LONG ? Date.now() % 2 ** 31 : 20_261_123));

let announced = false;

/** fast-check parameters for a property worth `bounded` runs under `npm test`. */
export function fuzzParams(bounded: number): Parameters<unknown> {
  if (!announced) {
    announced = true;
    console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${LONG ? runs : "bounded"}`);
  }
  return { seed, numRuns: LONG ? Math.max(1, runs) : bounded, endOnFailure: true };
}

/** Per-test time for a property: ample for the bounded run, none for a long one. */
export const FUZZ_TIMEOUT_MS = LONG ? 24 * 3_600_000 : 60_000;
