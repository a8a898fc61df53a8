/** One Server-Sent Event as a client reads it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/**
 * Read a `text/event-stream` response to its end: every event (data parsed as JSON) and how
 * many heartbeat comments came. `onEvent` sees each event as it arrives.
 */
export async function readEvents(
  res: Response,
  onEvent?: (event: SseEvent) => void,
): Promise<{ events: SseEvent[]; heartbeats: number }> {
  const events: SseEvent[] = [];
  let heartbeats = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      if (block.startsWith(":")) {
        heartbeats++;
        continue;
      }
      const fields = new Map<string, string>();
      for (const line of block.split("\n")) {
        const at = line.indexOf(": ");
        if (at > 0) fields.set(line.slice(0, at), line.slice(at + 2));
      }
      if (!fields.has("event")) continue;
      const event: SseEvent = {
        id: fields.get("id"),
        event: fields.get("event")!,
        data: JSON.parse(fields.get("data") ?? "null"),
      };
      events.push(event);
      onEvent?.(event);
    }
  }
  return { events, heartbeats };
}
