// How subscriptions reach the server: Server-Sent Events (graphql-sse's distinct connections mode, which is what
// Sundial's /graphql speaks with `Accept: text/event-stream`) or a WebSocket (the graphql-ws protocol at the same
// path). Both use only fetch, streams and the WebSocket global, so they run alike in browsers and Node.js.
import { createClient as createSseClient, NetworkError } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws/client';
import { fromGraphQLErrors, SundialError, type GraphQLErrorLike } from './errors.js';

export type TransportKind = 'sse' | 'websocket';

export interface SubscriptionRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface ExecutionResultLike<T> {
  data?: T | null;
  errors?: readonly GraphQLErrorLike[];
}

/**
 * One subscription as an async iterator. A result with errors is thrown as a SundialError (not retried: the server
 * refused or closed it); a lost connection is thrown as a SundialError of kind NetworkError with `retryable` set.
 */
export interface Transport {
  subscribe<T>(request: SubscriptionRequest): AsyncIterableIterator<T>;
  dispose(): void;
}

export class ConnectionLost extends SundialError {
  readonly retryable = true;
  constructor(cause: unknown) {
    super('NetworkError', `the connection to Sundial was lost: ${describe(cause)}`, { cause });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.cause instanceof Error ? `${cause.message} (${cause.cause.message})` : cause.message;
  if (isCloseEvent(cause)) return `WebSocket closed with ${cause.code}${cause.reason ? ` (${cause.reason})` : ''}`;
  return String(cause);
}

interface CloseEventLike {
  code: number;
  reason: string;
}

function isCloseEvent(value: unknown): value is CloseEventLike {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value;
}

function isErrorList(value: unknown): value is GraphQLErrorLike[] {
  return Array.isArray(value) && value.every((item) => typeof (item as { message?: unknown })?.message === 'string');
}

/** Turns what a transport library threw into the client's errors. */
function classify(error: unknown): SundialError {
  if (error instanceof SundialError) return error;
  if (isErrorList(error)) return fromGraphQLErrors(error);
  // graphql-ws closes with 4400–4499 when the server refused the connection itself (4403: not allowed).
  if (isCloseEvent(error) && error.code >= 4400 && error.code < 4500) {
    return new SundialError('GraphQLError', `the server closed the WebSocket: ${error.code} ${error.reason}`.trim(), { code: String(error.code) });
  }
  // A status the server chose (401, 403, 429 …) is an answer, not a lost connection.
  const status = error instanceof NetworkError ? (error.response as { status?: number } | undefined)?.status : undefined;
  if (status !== undefined && status >= 400 && status < 500) {
    return new SundialError('NetworkError', (error as Error).message, { code: String(status), cause: error });
  }
  return new ConnectionLost(error);
}

/**
 * The data of each result; errors thrown as SundialErrors. Not an async generator: a generator's `return()` waits
 * for the `next()` in progress, so a watch could not be closed while its stream is quiet.
 */
function checked<T>(source: AsyncIterableIterator<ExecutionResultLike<T>>): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        let step: IteratorResult<ExecutionResultLike<T>>;
        try {
          step = await source.next();
        } catch (error) {
          throw classify(error);
        }
        if (step.done) return { done: true, value: undefined };
        const result = step.value;
        if (result.errors && result.errors.length > 0) {
          void source.return?.();
          throw fromGraphQLErrors(result.errors);
        }
        if (result.data !== undefined && result.data !== null) return { done: false, value: result.data };
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

export interface TransportOptions {
  /** The server's base URL, e.g. `https://sundial.example.com`. */
  url: string;
  token: string;
  fetch: typeof fetch;
}

export function sseTransport({ url, token, fetch: fetchFn }: TransportOptions): Transport {
  // Retries are the caller's (watchRun resumes after the last sequence it got); the library's would resend the
  // first request as it was.
  const client = createSseClient({
    url: `${url}/graphql`,
    headers: { authorization: `Bearer ${token}` },
    fetchFn,
    retryAttempts: 0,
  });
  return {
    subscribe: <T>(request: SubscriptionRequest) => checked(client.iterate<T>(request) as AsyncIterableIterator<ExecutionResultLike<T>>),
    dispose: () => client.dispose(),
  };
}

export function webSocketTransport({ url, token }: Omit<TransportOptions, 'fetch'>): Transport {
  const client = createWsClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    // Browsers cannot set headers on a WebSocket: the token goes in the connection_init message.
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 0,
  });
  return {
    subscribe: <T>(request: SubscriptionRequest) => checked(client.iterate<T>(request) as AsyncIterableIterator<ExecutionResultLike<T>>),
    dispose: () => void client.dispose(),
  };
}
