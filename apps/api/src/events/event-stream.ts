import type { Request, Response } from "express";

/** How often an idle stream says it is alive, so proxies and clients do not time it out. */
export const HEARTBEAT_MS = 15_000;

/**
 * One Server-Sent Events response: numbered events, a comment line as heartbeat, and one place
 * that learns the client left (or the socket failed) and stops everything the stream started.
 */
export class EventStream {
  private nextId = 1;
  private readonly closers: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;
  closed = false;
  /** Called on each heartbeat: a chance to look again, should a change notice have been lost. */
  onHeartbeat: (() => void) | undefined;

  constructor(
    req: Request,
    private readonly res: Response,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    res.status(200);
    res.setHeader("content-type", "text/event-stream; charset=utf-8");
    res.setHeader("cache-control", "no-store");
    // Reverse proxies (nginx) would otherwise hold events back in their buffers.
    res.setHeader("x-accel-buffering", "no");
    res.flushHeaders();
    res.write("retry: 3000\n\n");
    res.on("error", () => this.end());
    req.on("close", () => this.end());
    this.heartbeat = setInterval(() => {
      res.write(": heartbeat\n\n");
      this.onHeartbeat?.();
    }, heartbeatMs);
  }

  send(event: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`id: ${this.nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Run `fn` when the stream ends, whoever ends it. */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.closers.push(fn);
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const fn of this.closers.splice(0)) fn();
    if (!this.res.writableEnded) this.res.end();
  }
}
