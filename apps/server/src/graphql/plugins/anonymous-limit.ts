// Mutations from callers who are not signed in (sign-in attempts, and every denied call) are limited per client
// address: each one costs a database write at least (its audit row), so an anonymous client must not be able to
// send them at any rate. Signed-in callers answer for what they do and are not limited here.
import type { DefinitionNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { GraphQLContext } from '../context.js';

export const ANONYMOUS_MUTATIONS_KEY = 'graphql.anonymous_mutations_per_minute';

export function useAnonymousMutationLimit({ perMinute }: { perMinute: number }): Plugin {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = args.document.definitions.find(
        (definition: DefinitionNode) =>
          definition.kind === 'OperationDefinition' && (args.operationName == null || definition.name?.value === args.operationName),
      );
      if (operation?.kind !== 'OperationDefinition' || operation.operation !== 'mutation') return;
      const context = args.contextValue as unknown as GraphQLContext;
      if (context.identity) return;
      try {
        await limiter.consume(context.request.ip ?? 'unknown');
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterSeconds = Math.ceil(rejection.msBeforeNext / 1000);
        setResultAndStopExecution({
          errors: [
            createGraphQLError(
              `Too many mutations from this address without signing in: at most ${perMinute} a minute (${ANONYMOUS_MUTATIONS_KEY}); try again in ${retryAfterSeconds} s.`,
              { extensions: { code: 'RATE_LIMITED', retryAfterSeconds } },
            ),
          ],
        });
      }
    },
  };
}
