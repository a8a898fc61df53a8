import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { toProblem } from "./errors";

const ready = { status: "ready" };

describe("toProblem: Redis away", () => {
  // A real client that has not connected: ioredis reports it as not ready.
  const idle = new Redis({ lazyConnect: true, port: 1 });
  idle.on("error", () => {});
  afterAll(() => idle.disconnect());

  it("answers 503 for whatever a route threw while the connection is not ready", () => {
    expect(idle.status).not.toBe("ready");
    const problem = toProblem(new Error("ECONNREFUSED 127.0.0.1:1"), idle);
    expect(problem?.status).toBe(503);
    expect(problem?.code).toBe("unavailable");
  });

  it("answers 503 for ioredis giving up on a command, connection state aside", () => {
    const error = Object.assign(new Error("Reached the max retries per request limit"), {
      name: "MaxRetriesPerRequestError",
    });
    expect(toProblem(error, ready)?.status).toBe(503);
  });

  it("does not read Redis's text into an error while the connection is ready", () => {
    // A bug of ours that happens to say this is a 500, not a claim that the queue is away.
    expect(toProblem(new Error("Connection is closed."), ready)).toBeUndefined();
    expect(toProblem(new Error("Stream isn't writeable"), ready)).toBeUndefined();
  });
});
