// createClient: Sundial's GraphQL API as typed calls. Queries and mutations are POSTs with fetch; subscriptions go
// over Server-Sent Events or a WebSocket (transport.ts). Every shape comes from schema.graphql through codegen.
import type { ActionArgs, ActionName } from './actions.js';
import { fromErrorResult, fromGraphQLErrors, SundialError, type GraphQLErrorLike } from './errors.js';
import type { ClientDispatchMutation, DispatchInput, TypedDocumentString } from './gql/graphql.js';
import { CancelDocument, DispatchDocument, RunDocument, RunNowDocument } from './operations.js';
import { sseTransport, webSocketTransport, type Transport, type TransportKind } from './transport.js';
import { watchRun, type RunEvent, type WatchedRun, type WatchRunOptions } from './watch.js';

export interface ClientOptions {
  /** The server's base URL, e.g. `https://sundial.example.com` (the API is at `/graphql` under it). */
  url: string;
  /** An API token's secret (`sdt_…`); it acts with its owner's permissions. */
  token: string;
  /** How subscriptions travel: Server-Sent Events (default) or a WebSocket (graphql-ws protocol). */
  transport?: TransportKind;
  /** A fetch to use in place of the global one (a proxy agent, instrumentation). */
  fetch?: typeof fetch;
}

/** What `dispatch` takes: DispatchInput, with `args` typed per action when the install's actions are declared. */
export type DispatchOptions<A extends ActionName = ActionName> = Omit<DispatchInput, 'action' | 'args'> & {
  action: A;
  args?: ActionArgs<A>;
};

export type DispatchResult = Extract<ClientDispatchMutation['dispatch'], { __typename: 'MutationDispatchSuccess' }>['result'];

export interface RunNowOptions {
  /** Override the job's args key by key (validated against the action's schema). */
  args?: Record<string, unknown>;
  title?: string;
  /** Overrides `since` (the start of the job's last succeeded run). ISO 8601 with an offset. */
  since?: string;
}

export interface SundialClient {
  /** Creates a job for an action and runs it now, once later, or on a recurring schedule. */
  dispatch<A extends ActionName>(input: DispatchOptions<A>): Promise<DispatchResult>;
  /** Starts a run of a job now (also of a paused job). */
  runNow(jobId: string, options?: RunNowOptions): Promise<WatchedRun>;
  /** Cancels a run: a queued one at once, a running one is asked to stop (CANCELLING, then CANCELLED). */
  cancel(runId: string): Promise<WatchedRun>;
  /** The run as it is now; null when there is no such run. */
  run(runId: string): Promise<WatchedRun | null>;
  /** The run's status changes and log lines as they happen, until it has finished and its log is all sent. */
  watchRun(runId: string, options?: WatchRunOptions): AsyncGenerator<RunEvent, void, undefined>;
  /** Any other operation of the schema, typed when given a document typed by GraphQL Code Generator. */
  request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables> | string, variables?: TVariables): Promise<TResult>;
  /** Closes the subscriptions' connections (a WebSocket's, mostly). */
  close(): void;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorLike[];
}

export function createClient(options: ClientOptions): SundialClient {
  const url = options.url.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  let transport: Transport | null = null;
  const subscriptions = () =>
    (transport ??= options.transport === 'websocket' ? webSocketTransport({ url, token: options.token }) : sseTransport({ url, token: options.token, fetch: fetchFn }));

  async function request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables> | string, variables?: TVariables): Promise<TResult> {
    let response: Response;
    try {
      response = await fetchFn(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      });
    } catch (error) {
      throw new SundialError('NetworkError', `Sundial could not be reached at ${url}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) {
      throw new SundialError('NetworkError', `Sundial answered HTTP ${response.status} with ${type || 'no content type'}, not GraphQL (is ${url} the server's URL?)`, {
        code: String(response.status),
      });
    }
    const body = (await response.json()) as GraphQLResponse<TResult>;
    if (body.errors && body.errors.length > 0) throw fromGraphQLErrors(body.errors);
    if (body.data === undefined || body.data === null) throw new SundialError('GraphQLError', `Sundial answered HTTP ${response.status} without data`);
    return body.data;
  }

  return {
    async dispatch(input) {
      const data = await request(DispatchDocument, { input });
      if (data.dispatch.__typename === 'MutationDispatchSuccess') return data.dispatch.result;
      throw fromErrorResult(data.dispatch);
    },
    async runNow(jobId, { args, title, since } = {}) {
      const data = await request(RunNowDocument, { id: jobId, args, title, since });
      if (data.runJobNow.__typename === 'MutationRunJobNowSuccess') return data.runJobNow.run;
      throw fromErrorResult(data.runJobNow);
    },
    async cancel(runId) {
      const data = await request(CancelDocument, { id: runId });
      if (data.cancelRun.__typename === 'MutationCancelRunSuccess') return data.cancelRun.run;
      throw fromErrorResult(data.cancelRun);
    },
    async run(runId) {
      return (await request(RunDocument, { id: runId })).run;
    },
    watchRun: (runId, watchOptions) => watchRun(subscriptions(), runId, watchOptions),
    request,
    close() {
      transport?.dispose();
      transport = null;
    },
  };
}
