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
  const events: SubscriptionEvent<T>[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((waiter) => waiter());

  const contentType = response.headers.get('content-type') ?? '';
  let ended: Promise<void>;
  if (!contentType.includes('text/event-stream')) {
    // A refused subscription answers with a plain GraphQL response.
    events.push((await response.json()) as SubscriptionEvent<T>);
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
            if (data) {
              events.push(JSON.parse(data) as SubscriptionEvent<T>);
              wake();
            }
          }
        }
      } catch {
        // Aborted by close().
      } finally {
        wake();
      }
    })();
  }
  let finished = false;
  void ended.then(() => {
    finished = true;
    wake();
  });

  const wait = <R>(probe: () => R | undefined, timeoutMs: number, what: string): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (finished) {
          cleanup();
          reject(new Error(`the subscription ended before ${what}; events: ${JSON.stringify(events).slice(0, 2000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events).slice(0, 2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    events,
    next: (timeoutMs = 15_000) =>
      wait(() => (taken < events.length ? events[taken++] : undefined), timeoutMs, 'the next event'),
    waitFor: (predicate, timeoutMs = 15_000, what = 'a matching event') => wait(() => events.find(predicate), timeoutMs, what),
    ended,
    close: () => abort.abort(),
  };
}
