// Open subscriptions end within seconds when their identity stops being valid: signed out, token revoked or
// expired, user deactivated or deleted, or a permission it had when it subscribed removed from its roles.
// The client gets one last result saying why, then the stream completes.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { PrismaClient } from '../db/prisma.js';
import { stillValid, type Identity, type SessionPolicy } from '../services/auth/identity.js';
import type { GraphQLContext } from './context.js';

export interface SubscriptionGuardOptions {
  /** How often each identity with open subscriptions is checked again. */
  everyMs: number;
  /** The session policy in force: a session that reaches one has its streams closed. */
  sessionPolicy: SessionPolicy;
}

export function useSubscriptionGuard(prisma: PrismaClient, { everyMs, sessionPolicy }: SubscriptionGuardOptions): Plugin<GraphQLContext> {
  // One check per identity per interval, however many subscriptions it has open.
  const checks = new Map<string, { at: number; result: Promise<string | null> }>();
  const reasonToStop = (identity: Identity): Promise<string | null> => {
    const key = identity.via.kind === 'session' ? `s:${identity.via.sessionId}` : `t:${identity.via.tokenId}`;
    const cached = checks.get(key);
    if (cached && Date.now() - cached.at < everyMs) return cached.result;
    const result = stillValid(prisma, identity, sessionPolicy).then(
      (current) => {
        if (!current) return identity.via.kind === 'session' ? 'your session ended' : 'this API token is no longer valid';
        const lost = [...identity.permissions].filter((permission) => !current.permissions.has(permission));
        return lost.length > 0 ? `permission removed: ${lost.join(', ')}` : null;
      },
      () => null, // a database hiccup does not end subscriptions
    );
    checks.set(key, { at: Date.now(), result });
    return result;
  };

  return {
    onSubscribe({ args }) {
      const identity = (args.contextValue as GraphQLContext).identity;
      if (!identity) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          setResult(guarded(result, () => reasonToStop(identity), everyMs));
        },
      };
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function guarded(
  source: AsyncIterable<ExecutionResult>,
  reasonToStop: () => Promise<string | null>,
  everyMs: number,
): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let stoppedBecause: string | null = null;
  /** The caller of a `next` in flight, answered by the source or, first, by a stop. */
  let waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  const closing = (reason: string): IteratorResult<ExecutionResult> => ({
    done: false,
    value: { errors: [createGraphQLError(`subscription closed: ${reason}`, { extensions: { code: 'UNAUTHENTICATED' } })] },
  });
  const end = async () => {
    finished = true;
    clearInterval(timer);
    await iterator.return?.();
  };
  const timer = setInterval(() => {
    void reasonToStop().then((reason) => {
      if (!reason || stoppedBecause || finished) return;
      stoppedBecause = reason;
      const answer = waiting;
      waiting = null;
      if (answer) {
        answer(closing(reason));
        void end();
      }
    });
  }, everyMs);
  timer.unref();
  // No Promise.race against a long-lived "stopped" promise: each race would leave a reaction on it for as long as
  // the subscription lives (one per event).
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (finished) return { done: true, value: undefined };
      if (stoppedBecause) {
        await end();
        return closing(stoppedBecause);
      }
      return new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
        waiting = resolve;
        iterator.next().then(
          (next) => {
            if (waiting !== resolve) return;
            waiting = null;
            if (next.done) {
              finished = true;
              clearInterval(timer);
            }
            resolve(next);
          },
          (error: unknown) => {
            if (waiting !== resolve) return;
            waiting = null;
            reject(error);
          },
        );
      });
    },
    async return() {
      await end();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await end();
      throw error;
    },
  };
}
