// A GraphQL subscription over a WebSocket (graphql-ws protocol) against a real server, with the same interface as
// subscribe.ts (SSE), so a test can run its cases over both. The token goes in connection_init, as browsers must
// send it; a refused operation, a closing message and a closed socket all end up as events, as over SSE.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Subscription, SubscriptionEvent } from './subscribe.js';

export interface WebSocketOptions {
  /** Headers of the upgrade request (Host, Origin, Cookie …). */
  headers?: Record<string, string>;
}

export async function subscribeWs<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: object,
  token: string | null,
  options: WebSocketOptions = {},
): Promise<Subscription<T>> {
  const events: SubscriptionEvent<T>[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((waiter) => waiter());
  const push = (event: SubscriptionEvent<T>) => {
    events.push(event);
    wake();
  };

  let finished = false;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = () => {
    finished = true;
    resolveEnded();
    wake();
  };

  const headers = options.headers ?? {};
  const client: Client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
  });
  let unsubscribe: () => void = () => {};
  // Acknowledged: the subscription is open on the server once connection_ack came (or the socket failed).
  const opened = new Promise<void>((resolve) => {
    const offConnected = client.on('connected', () => {
      offConnected();
      resolve();
    });
    const offClosed = client.on('closed', () => {
      offClosed();
      resolve();
    });
  });
  unsubscribe = client.subscribe<T>(
    { query, variables: variables as Record<string, unknown> },
    {
      next: (result) => push(result as SubscriptionEvent<T>),
      error: (error: unknown) => {
        // graphql-ws hands operation errors as a list, and a closed socket as its close event.
        if (Array.isArray(error)) push({ errors: error as SubscriptionEvent<T>['errors'] });
        else {
          const close = error as { code?: number; reason?: string; message?: string };
          push({ errors: [{ message: close.reason || close.message || 'closed', extensions: { closeCode: close.code } }] });
        }
        finish();
      },
      complete: finish,
    },
  );
  await opened;
  // Over SSE the subscription is open once the response starts. Here, a query sent after it on the same socket
  // and answered means the server has taken the subscription's identity (its messages are handled in order, their
  // identity look-ups one after the other): a test may then revoke it, or make events.
  if (!finished) {
    const ping = client.iterate({ query: '{ __typename }' });
    await ping.next().catch(() => undefined);
    await ping.return?.();
  }
  void ended.then(() => void client.dispose());

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
    next: (timeoutMs = 15_000) => wait(() => (taken < events.length ? events[taken++] : undefined), timeoutMs, 'the next event'),
    waitFor: (predicate, timeoutMs = 15_000, what = 'a matching event') => wait(() => events.find(predicate), timeoutMs, what),
    ended,
    close: () => {
      unsubscribe();
      void client.dispose();
      finish();
    },
  };
}
