// Builds each request's GraphQLContext (identity from cookie or token) and lets resolvers set cookies.
import type { Plugin } from 'graphql-yoga';
import { identityOf } from '../http/identity.js';
import type { GraphQLContext } from './context.js';

type Shared = Omit<GraphQLContext, 'identity' | 'request' | 'responseCookies'>;

const cookiesByRequest = new WeakMap<Request, string[]>();

export function createContextFactory(shared: Shared) {
  return async ({ request }: { request: Request }): Promise<GraphQLContext> => {
    const responseCookies: string[] = [];
    cookiesByRequest.set(request, responseCookies);
    return {
      ...shared,
      identity: await identityOf(shared.prisma, request.headers),
      request: {
        ip: request.headers.get('x-sundial-client-ip'),
        userAgent: request.headers.get('user-agent'),
        secure: new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https',
      },
      responseCookies,
    };
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
