// A GraphQL subscription over a WebSocket (graphql-ws protocol) against a real server, with the same interface as
// subscribe.ts (SSE), so a test can run its cases over both. The token goes in connection_init, as browsers must
// send it; a refused operation, a closing message and a closed socket all end up as events, as over SSE.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SubscriptionEvents, type Subscription, type SubscriptionEvent } from './subscribe.js';

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
  const log = new SubscriptionEvents<T>();
  const push = (event: SubscriptionEvent<T>) => log.push(event);

  let finished = false;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const finish = () => {
    finished = true;
    resolveEnded();
    log.finish();
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

  return {
    events: log.events,
    next: (timeoutMs) => log.next(timeoutMs),
    waitFor: (predicate, timeoutMs, what) => log.waitFor(predicate, timeoutMs, what),
    ended,
    close: () => {
      unsubscribe();
      void client.dispose();
      finish();
    },
  };
}
