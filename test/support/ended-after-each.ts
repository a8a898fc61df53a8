import { afterEach } from "vitest";
import type { ChildWorker } from "./processes";

/** What a test starts: a system or receiver (closed), or a child worker (killed). */
type Started = { close(): Promise<unknown> } | ChildWorker;

/**
 * Registers an `afterEach` that ends what the test passed to the returned function, last started
 * first: child workers die with SIGKILL, as in a crash, before the system they work for closes.
 */
export function endedAfterEach(): <T extends Started>(thing: T) => T {
  const started: Started[] = [];
  afterEach(async () => {
    for (const thing of started.splice(0).reverse()) {
      if ("kill" in thing) await thing.kill("SIGKILL");
      else await thing.close();
    }
  });
  return (thing) => {
    started.push(thing);
    return thing;
  };
}
