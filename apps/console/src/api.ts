import { currentSession } from "./session";
import { SseParser, type StreamEvent } from "./sse";

/** A problem the API answered (RFC 9457), or a network failure (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(init: RequestInit = {}, key = currentSession()?.key): Headers {
  const h = new Headers(init.headers);
  if (key) h.set("authorization", `Bearer ${key}`);
  return h;
}

async function send(path: string, init: RequestInit = {}, key?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: headers(init, key), credentials: "omit" });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network_error", "facegate did not answer; is it running?");
  }
  if (!res.ok) {
    let problem: { code?: string; detail?: string; title?: string } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      // Not a problem document.
    }
    throw new ApiError(
      res.status,
      problem.code ?? `http_${res.status}`,
      problem.detail ?? problem.title ?? res.statusText,
    );
  }
  return res;
}

/** A JSON answer of the public API, with the session's key (or `key`, when signing in). */
export async function api<T>(path: string, init: RequestInit = {}, key?: string): Promise<T> {
  return (await (await send(path, init, key)).json()) as T;
}

export async function apiText(path: string, init: RequestInit = {}): Promise<string> {
  return (await send(path, init)).text();
}

export async function apiBlob(path: string, init: RequestInit = {}): Promise<Blob> {
  return (await send(path, init)).blob();
}

/**
 * Follow an event stream until it ends or `signal` aborts. A stream cut short (network, server
 * restart) is opened again after a pause, as EventSource would.
 */
export async function follow(
  path: string,
  onEvent: (event: StreamEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const res = await send(path, { signal, headers: { accept: "text/event-stream" } });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const event of parser.push(value)) onEvent(event);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  }
}
