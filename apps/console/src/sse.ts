/** One Server-Sent Event: its name and its data, parsed as JSON. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` body chunk by chunk (fetch streaming: EventSource cannot send the
 * bearer token). Comments (heartbeats) and the `retry` field are skipped.
 */
export class SseParser {
  private buffer = "";

  /** Feed decoded text; returns the events it completed. */
  push(text: string): StreamEvent[] {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const events: StreamEvent[] = [];
    let end = this.buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf("\n\n");
      let name = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      }
      if (data.length === 0) continue;
      const text = data.join("\n");
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: handed over as text.
      }
      events.push({ event: name, data: parsed });
    }
    return events;
  }
}
