import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("SseParser", () => {
  it("reads events split anywhere across chunks, skipping heartbeats and retry", () => {
    const parser = new SseParser();
    const text =
      'retry: 3000\n\nid: 1\nevent: queued\ndata: {"a":1}\n\n: heartbeat\n\nid: 2\nevent: x\ndata: plain\n\n';
    const events = [];
    for (let i = 0; i < text.length; i += 7) events.push(...parser.push(text.slice(i, i + 7)));
    expect(events).toEqual([
      { event: "queued", data: { a: 1 } },
      { event: "x", data: "plain" },
    ]);
  });

  it("joins multi-line data and accepts CRLF line ends", () => {
    const parser = new SseParser();
    expect(parser.push("event: m\r\ndata: [1,\r\ndata: 2]\r\n\r\n")).toEqual([{ event: "m", data: [1, 2] }]);
  });
});
