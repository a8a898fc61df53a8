import { afterEach } from "vitest";

interface Closable {
  close(): Promise<unknown>;
}

/**
 * Registers an `afterEach` that closes what the test passed to the returned function, last opened
 * first: an adapter or client lets go of its connections before the server it talks to stops.
 */
export function closedAfterEach(): <T extends Closable>(thing: T) => T {
  const open: Closable[] = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });
  return (thing) => {
    open.push(thing);
    return thing;
  };
}
