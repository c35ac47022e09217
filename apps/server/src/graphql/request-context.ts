// Builds each request's GraphQLContext (identity from cookie or token) and lets resolvers set cookies.
import { RequestCache } from '@pothos/plugin-scope-auth';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { identityOf } from '../http/identity.js';
import type { GraphQLContext } from './context.js';

type Shared = Omit<GraphQLContext, 'identity' | 'request' | 'responseCookies' | 'requestCache'>;

const cookiesByRequest = new WeakMap<Request, string[]>();

export function createContextFactory(shared: Shared) {
  return async ({ request }: { request: Request }): Promise<GraphQLContext> => {
    const responseCookies: string[] = [];
    cookiesByRequest.set(request, responseCookies);
    return {
      ...shared,
      identity: await identityOf(shared.prisma, request.headers, shared.services.auth.sessionPolicy),
      request: {
        ip: request.headers.get('x-sundial-client-ip'),
        userAgent: request.headers.get('user-agent'),
        secure: new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
      },
      responseCookies,
      requestCache: new Map(),
    };
  };
}

/**
 * Lets go of what an operation loaded as soon as it is done: its request cache (batch loaders with the runs, counts,
 * users and roles of a page; a page's filter and count) and plugin-scope-auth's per-request cache, which holds every object whose type scopes it checked.
 * Waiting for the context to be collected is not enough: the scope cache lives in a WeakMap keyed on the context,
 * and V8's young-generation collector keeps a WeakMap's values alive until the next full collection. A page's rows
 * were then copied and promoted on every scavenge, which made scavenges several times slower.
 * Once cleared, a later execution with the same context (a subscription event) just loads again.
 */
export function useRequestRelease(): Plugin<GraphQLContext> {
  const release = (context: GraphQLContext) => {
    context.requestCache.clear();
    RequestCache.clearForContext(context);
  };
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result }) {
          if (!isAsyncIterable(result)) return release(args.contextValue);
          return { onEnd: () => release(args.contextValue) };
        },
      };
    },
  };
}

/** Appends the Set-Cookie values resolvers asked for. */
export function useResponseCookies(): Plugin {
  return {
    onResponse({ request, response }) {
      for (const cookie of cookiesByRequest.get(request) ?? []) response.headers.append('set-cookie', cookie);
    },
  };
}
