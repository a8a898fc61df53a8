import type { PacerClock } from "../pacer";

/**
 * A clock for simulations: time moves only when every task run on it is asleep, straight to the
 * earliest wake-up. One task runs at a time, the others sleep, so a run is the same every time
 * however busy the machine is, and ten simulated seconds take as long as their Redis calls.
 */
export class VirtualClock implements PacerClock {
  private time = 1_700_000_000_000;
  private readonly sleepers: { at: number; order: number; wake: () => void }[] = [];
  private order = 0;
  private running = 0;

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), order: this.order++, wake });
      this.advance();
    });
  }

  /** Runs the tasks side by side on this clock, until every one has returned. */
  async run<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
    this.running += tasks.length;
    return Promise.all(
      tasks.map(async (task) => {
        try {
          return await task();
        } finally {
          this.running--;
          this.advance();
        }
      }),
    );
  }

  /** Wakes the earliest sleeper (first asleep first, at equal times) once no task is awake. */
  private advance(): void {
    if (this.running === 0 || this.sleepers.length < this.running) return;
    this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
    const next = this.sleepers.shift()!;
    this.time = Math.max(this.time, next.at);
    next.wake();
  }
}
