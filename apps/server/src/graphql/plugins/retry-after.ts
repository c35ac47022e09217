// A rate-limited answer carries the standard `Retry-After` header (RFC 9110) beside the error's retryAfterSeconds,
// so HTTP clients and proxies that know the header back off without reading GraphQL errors.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const secondsByRequest = new WeakMap<Request, number>();

function retryAfterOf(result: unknown): number | null {
  if (result === null || typeof result !== 'object' || Array.isArray(result) || Symbol.asyncIterator in result) return null;
  const seconds = (result as ExecutionResult).errors
    ?.filter((error) => error.extensions?.code === 'RATE_LIMITED')
    .map((error) => Number(error.extensions?.retryAfterSeconds))
    .filter((value) => Number.isFinite(value) && value > 0);
  return seconds && seconds.length > 0 ? Math.max(...seconds) : null;
}

export function useRetryAfter(): Plugin {
  return {
    onResultProcess({ request, result }) {
      const seconds = retryAfterOf(result);
      if (seconds !== null) secondsByRequest.set(request, Math.ceil(seconds));
    },
    onResponse({ request, response }) {
      const seconds = secondsByRequest.get(request);
      if (seconds !== undefined) response.headers.set('retry-after', String(seconds));
    },
  };
}
