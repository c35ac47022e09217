// A worker's liveness lock: a session-level advisory lock on a connection of its own, taken before it claims a
// run and held until it stops. PostgreSQL releases it the moment that connection ends, so a killed worker's runs
// are known lost within a sweep instead of after jobs.stale_after_ms (engine/sweeper.ts). The key is (class,
// hashtext(worker id)): a collision makes a lost worker look live, and its runs then wait for the heartbeat cutoff,
// as they would without the lock. The embedded database has one session for every connection: there the locks of
// workers that stopped stay held until it restarts, which again only means the heartbeat cutoff applies.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

/** The lock class of liveness locks ("SUN"); other advisory locks here use one bigint key, another key space. */
export const LIVENESS_CLASS = 0x53554e;

const heldRow = z.object({ held: z.boolean() });

/**
 * Takes this worker's liveness lock on the session's connection: at once, false when another session holds it, or
 * (`wait`) once that session ends.
 */
export async function holdLiveness(client: SqlClient, workerId: string, { wait }: { wait: boolean }): Promise<boolean> {
  const { rows } = await client.query(
    wait
      ? `SELECT true AS held FROM pg_advisory_lock(${LIVENESS_CLASS}, hashtext($1))`
      : `SELECT pg_try_advisory_lock(${LIVENESS_CLASS}, hashtext($1)) AS held`,
    [workerId],
  );
  return parseRows(heldRow, rows)[0]?.held === true;
}

/** A query of the lock keys held now, one `key` column, to compare with `livenessKeySql` of a worker id column. */
export const heldLivenessSql = `SELECT objid AS key FROM pg_locks WHERE locktype = 'advisory' AND classid = ${LIVENESS_CLASS} AND objsubid = 2 AND granted`;

/** The lock key of the worker id in `column`, as pg_locks shows it. */
export function livenessKeySql(column: string): string {
  return `hashtext(${column})::oid`;
}
