/**
 * Wait until `check` holds, asking again every `everyMs`; fails with `what` after `timeoutMs`.
 * For conditions that have no event to wait on (a record's status seen from outside, a count in
 * Redis). The timeout bounds a broken test; it is not an assertion about speed.
 */
export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  what = "condition",
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
