import { Client, cacheExchange, fetchExchange } from 'urql';

/** The app talks to its own origin: the server serves it, and `vite dev` proxies /graphql to the server. */
export const GRAPHQL_ENDPOINT = '/graphql';

export function createGraphQLClient(): Client {
  return new Client({
    url: GRAPHQL_ENDPOINT,
    exchanges: [cacheExchange, fetchExchange],
  });
}
