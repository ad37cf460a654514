/**
 * Server-sent events read with fetch() instead of EventSource, for streams that need request headers:
 * a personal stream names its purpose of use in `x-purpose` (src/api/authorize.ts reads it from the
 * header only, and EventSource cannot send headers). Reconnects like EventSource does, after the
 * server's `retry:` delay, until stopped; a refusal (4xx) is final.
 */
import { HttpError } from './api.js';

export interface ServerEvent {
  readonly event: string;
  readonly data: string;
}

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'refused';

export interface EventStreamHandlers {
  readonly onEvent: (e: ServerEvent) => void;
  readonly onState?: (state: StreamState, error?: HttpError) => void;
}

/** Splits a text/event-stream into events (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  /** The reconnection delay the server asked for (`retry:`), if any. */
  retryMs: number | null = null;

  constructor(private readonly emit: (e: ServerEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) this.emit({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return; // a comment (the server's keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}

/** Opens the stream and keeps it open; returns the function that closes it for good. */
export function openEventStream(
  url: string,
  headers: () => Record<string, string>,
  handlers: EventStreamHandlers,
): () => void {
  const controller = new AbortController();
  let retryMs = 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async (attempt: number) => {
    handlers.onState?.(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      const res = await fetch(url, {
        credentials: 'same-origin',
        headers: { accept: 'text/event-stream', ...headers() },
        signal: controller.signal,
      });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as {
          error?: { code?: string; message?: string };
        } | null;
        const error = new HttpError(
          res.status,
          body?.error?.code ?? `HTTP_${res.status}`,
          body?.error?.message ?? `${res.status} ${res.statusText}`,
        );
        // Refused (no session, no purpose, not this role): asking again will not help.
        if (res.status >= 400 && res.status < 500 && res.status !== 429) {
          handlers.onState?.('refused', error);
          return;
        }
        throw error;
      }
      handlers.onState?.('open');
      attempt = 0;
      const parser = new EventStreamParser(handlers.onEvent);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        if (parser.retryMs !== null) retryMs = parser.retryMs;
      }
    } catch (err) {
      if (controller.signal.aborted) return;
      void err; // a dropped connection or a server error: try again below
    }
    if (controller.signal.aborted) return;
    handlers.onState?.('reconnecting');
    // Back off a little on repeated failures, never beyond 30 s.
    timer = setTimeout(
      () => void connect(attempt + 1),
      Math.min(30_000, retryMs * 2 ** Math.min(attempt, 4)),
    );
  };
  void connect(0);

  return () => {
    controller.abort();
    if (timer !== undefined) clearTimeout(timer);
  };
}
