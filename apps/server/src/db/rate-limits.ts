// Rate limits kept in the database (the rate_limits table), so every process counts against the same limits and a
// restart forgets nothing: an attacker gains no guesses by spreading requests over API processes or waiting for a
// deploy. rate-limiter-flexible's PostgreSQL store does the counting with one upsert per call; it works on the
// embedded database as on PostgreSQL (both are reached over the pg protocol). The table comes from the migrations,
// so the library runs no DDL.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export { RateLimiterRes };
export type RateLimiter = RateLimiterPostgres;

const TABLE = 'rate_limits';

export interface RateLimitOptions {
  /** Names the limit; keys are stored as `<name>:<key>`. */
  name: string;
  points: number;
  durationSeconds: number;
}

/**
 * The pool as the limiter's client, minus statement names: the library names its prepared statements, and on the
 * embedded database every socket shares one PostgreSQL session, so a name prepared through one pooled connection
 * "already exists" for the next. Unnamed statements work on both databases.
 */
function unnamed(pool: pg.Pool) {
  return { query: (query: { text: string; values?: unknown[] }) => pool.query({ text: query.text, values: query.values }) };
}

export function createRateLimiter(pool: pg.Pool, { name, points, durationSeconds }: RateLimitOptions): RateLimiter {
  return new RateLimiterPostgres({
    storeClient: unnamed(pool),
    storeType: 'client',
    tableName: TABLE,
    tableCreated: true,
    keyPrefix: name,
    points,
    duration: durationSeconds,
  });
}

/**
 * A key for a value that may be long or personal (an e-mail address): its SHA-256, so it fits the table's key
 * column and the table does not list who was targeted.
 */
export function hashedKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** A refusal from a limiter (over its points), as opposed to a database error. */
export function isRateLimited(reason: unknown): reason is RateLimiterRes {
  return reason instanceof RateLimiterRes;
}
