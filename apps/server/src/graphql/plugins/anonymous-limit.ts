// Mutations from callers who are not signed in (sign-in attempts, and every denied call) are limited per client
// address: each one costs a database write at least (its audit row), so an anonymous client must not be able to
// send them at any rate. Signed-in callers answer for what they do and are not limited here. Counted in the database
// (db/rate-limits.ts), so several API processes and a restart give no extra mutations.
import type { DocumentNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type pg from 'pg';
import { createRateLimiter, isRateLimited } from '../../db/rate-limits.js';
import type { GraphQLContext } from '../context.js';
import { graphql } from './graphql-runtime.js';

export const ANONYMOUS_MUTATIONS_KEY = 'graphql.anonymous_mutations_per_minute';

export function useAnonymousMutationLimit({ pool, perMinute }: { pool: pg.Pool; perMinute: number }): Plugin {
  const limiter = createRateLimiter(pool, { name: 'anonymous-mutations', points: perMinute, durationSeconds: 60 });
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      // Envelop types these any; Yoga hands the parsed document and the request's operation name.
      const operation = graphql.getOperationAST(args.document as DocumentNode, args.operationName as string | undefined);
      if (operation?.operation !== graphql.OperationTypeNode.MUTATION) return;
      const context = args.contextValue as unknown as GraphQLContext;
      if (context.identity) return;
      try {
        await limiter.consume(context.request.ip ?? 'unknown');
      } catch (rejection) {
        if (!isRateLimited(rejection)) throw rejection;
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
