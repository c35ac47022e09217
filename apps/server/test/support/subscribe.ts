// A GraphQL subscription over SSE against a real server, as a browser or an integrator makes it: POST with
// Accept: text/event-stream, a Bearer token, events read as they arrive.
export interface SubscriptionEvent<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface Subscription<T> {
  /** Every event received so far. */
  events: SubscriptionEvent<T>[];
  /** The next event not yet taken by next(); rejects after timeoutMs. */
  next(timeoutMs?: number): Promise<SubscriptionEvent<T>>;
  /** Waits until an event (taken or not) satisfies the predicate; returns it. */
  waitFor(predicate: (event: SubscriptionEvent<T>) => boolean, timeoutMs?: number, what?: string): Promise<SubscriptionEvent<T>>;
  /** Resolves when the server ended the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function subscribe<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: object,
  token: string | null,
): Promise<Subscription<T>> {
  const abort = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const log = new SubscriptionEvents<T>();

  const contentType = response.headers.get('content-type') ?? '';
  let ended: Promise<void>;
  if (!contentType.includes('text/event-stream')) {
    // A refused subscription answers with a plain GraphQL response.
    log.push((await response.json()) as SubscriptionEvent<T>);
    ended = Promise.resolve();
  } else {
    ended = (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (event === 'complete') return;
            if (data) log.push(JSON.parse(data) as SubscriptionEvent<T>);
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  void ended.then(() => log.finish());

  return {
    events: log.events,
    next: (timeoutMs) => log.next(timeoutMs),
    waitFor: (predicate, timeoutMs, what) => log.waitFor(predicate, timeoutMs, what),
    ended,
    close: () => abort.abort(),
  };
}

/** A subscription's events as they arrive, and waiting on them; the SSE and WebSocket helpers both keep theirs here. */
export class SubscriptionEvents<T> {
  readonly events: SubscriptionEvent<T>[] = [];
  private taken = 0;
  private finished = false;
  private readonly waiters = new Set<() => void>();

  push(event: SubscriptionEvent<T>): void {
    this.events.push(event);
    this.wake();
  }

  /** The stream ended: waits for an event that has not come fail at once. */
  finish(): void {
    this.finished = true;
    this.wake();
  }

  next(timeoutMs = 15_000): Promise<SubscriptionEvent<T>> {
    return this.wait(() => (this.taken < this.events.length ? this.events[this.taken++] : undefined), timeoutMs, 'the next event');
  }

  waitFor(predicate: (event: SubscriptionEvent<T>) => boolean, timeoutMs = 15_000, what = 'a matching event'): Promise<SubscriptionEvent<T>> {
    return this.wait(() => this.events.find(predicate), timeoutMs, what);
  }

  private wake(): void {
    this.waiters.forEach((waiter) => waiter());
  }

  private wait<R>(probe: () => R | undefined, timeoutMs: number, what: string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (this.finished) {
          cleanup();
          reject(new Error(`the subscription ended before ${what}; events: ${JSON.stringify(this.events).slice(0, 2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
