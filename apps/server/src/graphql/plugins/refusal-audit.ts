// One compact audit row per operation refused before it ran: a document over a limit (aliases, depth, tokens…),
// several password checks in one operation, a cross-site (CSRF) request. Without it, password spraying that the
// limits stop would leave no trace. The row holds the actor, the address and the reason, never the document or its
// variables. Rows per address are limited too (a refused flood leaves a log line, not a full disk), counted in the
// database like every rate limit (db/rate-limits.ts).
import type http from 'node:http';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type pg from 'pg';
import type { PrismaClient } from '../../db/prisma.js';
import { createRateLimiter } from '../../db/rate-limits.js';
import { identityOf } from '../../http/identity.js';
import type { Logger } from '../../lib/logger.js';
import type { SessionPolicy } from '../../services/auth/identity.js';
import { AuditService } from '../../services/audit.js';
import { actorOf } from './audit.js';

/** Error codes that mean "refused before anything ran". */
const REFUSAL_CODES: ReadonlySet<string> = new Set(['QUERY_LIMIT_EXCEEDED', 'TOO_MANY_CREDENTIAL_CHECKS', 'FORBIDDEN_ORIGIN']);
/** The action of these rows. */
export const REFUSED_ACTION = 'refusedOperation';
const ROWS_PER_ADDRESS_PER_MINUTE = 60;

export interface RefusalRecorder {
  record(refusal: { headers: Headers; ip: string | null; code: string; reason: string }): Promise<void>;
}

export function createRefusalRecorder(prisma: PrismaClient, pool: pg.Pool, logger: Logger, policy: SessionPolicy): RefusalRecorder {
  const audit = new AuditService(prisma);
  const perAddress = createRateLimiter(pool, { name: 'refused-operation-rows', points: ROWS_PER_ADDRESS_PER_MINUTE, durationSeconds: 60 });
  return {
    async record({ headers, ip, code, reason }) {
      const allowed = await perAddress.consume(ip ?? 'unknown').then(
        () => true,
        () => false,
      );
      if (!allowed) {
        logger.warn(`audit: refused operation from ${ip ?? 'unknown'} not recorded (over ${ROWS_PER_ADDRESS_PER_MINUTE} a minute): ${code}`);
        return;
      }
      const identity = await identityOf(prisma, headers, policy).catch(() => null);
      try {
        await audit.record({
          actorId: identity?.userId ?? null,
          ...actorOf(identity),
          ip,
          action: REFUSED_ACTION,
          outcome: 'DENIED',
          details: { code, reason: reason.slice(0, 300) },
        });
      } catch (error) {
        logger.error(`audit: could not record a refused operation: ${(error as Error).message.trim().split('\n').pop()}`, { code });
      }
    },
  };
}

/** Node's request headers as fetch Headers (what identityOf reads). */
export function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) headers.set(name, value.join(', '));
  }
  return headers;
}

function isSingleResult(result: unknown): result is ExecutionResult {
  return result !== null && typeof result === 'object' && !Array.isArray(result) && !(Symbol.asyncIterator in result);
}

/** Records GraphQL refusals: results with no data whose error carries one of the refusal codes. */
export function useRefusalAudit(recorder: RefusalRecorder): Plugin {
  return {
    async onResultProcess({ request, result }) {
      if (!isSingleResult(result) || (result.data !== undefined && result.data !== null)) return;
      const refusal = result.errors?.find((error) => REFUSAL_CODES.has(String(error.extensions?.code)));
      if (!refusal) return;
      await recorder.record({
        headers: request.headers,
        ip: request.headers.get('x-sundial-client-ip'),
        code: String(refusal.extensions?.code),
        reason: refusal.message,
      });
    },
  };
}
