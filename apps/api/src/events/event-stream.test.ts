import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { EventStream } from "./event-stream";

let close: (() => void) | undefined;
afterEach(() => close?.());

async function serve(onStream: (stream: EventStream) => void): Promise<string> {
  const app = express();
  app.get("/events", (req, res) => onStream(new EventStream(req, res, 20)));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

describe("EventStream", () => {
  it("numbers its events, sends heartbeats, and learns when the client leaves", async () => {
    let stream: EventStream | undefined;
    const heartbeats: number[] = [];
    let closed!: () => void;
    const left = new Promise<void>((r) => {
      closed = r;
    });
    const url = await serve((s) => {
      stream = s;
      s.onHeartbeat = () => heartbeats.push(Date.now());
      s.onClose(closed);
      s.send("hello", { n: 1 });
      s.send("hello", { n: 2 });
    });
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const reader = res.body!.getReader();
    let text = "";
    while ((text.match(/: heartbeat\n\n/g) ?? []).length < 2) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('id: 1\nevent: hello\ndata: {"n":1}\n\n');
    expect(text).toContain('id: 2\nevent: hello\ndata: {"n":2}\n\n');
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    abort.abort();
    await left;
    expect(stream?.closed).toBe(true);
  });
});
