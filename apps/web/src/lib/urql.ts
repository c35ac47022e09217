import { Client, cacheExchange, fetchExchange, getOperationName, mapExchange } from 'urql';

/** The app talks to its own origin: the server serves it, and `vite dev` proxies /graphql to the server. */
export const GRAPHQL_ENDPOINT = '/graphql';

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

export interface GraphQLClientOptions {
  /**
   * Called when the server refuses an operation for who the caller is (session expired or signed out elsewhere,
   * a permission removed): the app asks the server for the viewer again instead of guessing.
   */
  onAuthRefused?: () => void;
}

export function createGraphQLClient({ onAuthRefused }: GraphQLClientOptions = {}): Client {
  return new Client({
    url: GRAPHQL_ENDPOINT,
    // POST with JSON for everything: the server's CSRF rule lets JSON through, and URLs stay out of access logs.
    preferGetMethod: false,
    // Everything here is live data: show what is cached at once, then refresh it — coming back to a page never
    // shows a stale list (e.g. a job's runs as they were before a run finished).
    requestPolicy: 'cache-and-network',
    // Subscriptions over the same fetch (server-sent events), so they carry the session cookie like any request.
    fetchSubscriptions: true,
    exchanges: [
      mapExchange({
        onError(error, operation) {
          // A wrong password on the sign-in form is the form's business, not a lost session.
          const name = getOperationName(operation.query);
          if (name === 'SignInMutation' || name === 'ViewerGateQuery') return;
          const refused = error.graphQLErrors.some((e) => AUTH_CODES.has(String(e.extensions?.code ?? '')));
          if (refused) onAuthRefused?.();
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}
