// The slot clock's two statements (engine/clock.ts): which jobs' timers come due soon, and locking the due ones for
// a firing. A job's timer is its next slot when enabled, the end of its pause when paused until a time. The first
// branch uses the (enabled, next_run_at) index; the second reads the disabled jobs through the same index's first
// column (jobs paused until a time are few).
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';
import { timestamp, uuid } from '../rows/columns.js';

export interface DueTimer {
  jobId: string;
  at: Date;
}

const dueTimer = z.object({ id: uuid, at: timestamp }).transform(({ id, at }): DueTimer => ({ jobId: id, at }));

/** Timers due before `until`, earliest first, at most `limit`. */
export async function readDueTimers(client: SqlClient, { until, limit }: { until: Date; limit: number }): Promise<DueTimer[]> {
  const { rows } = await client.query(
    `(SELECT id, next_run_at AS at FROM "jobs" WHERE enabled AND next_run_at < $1 ORDER BY next_run_at LIMIT $2)
     UNION ALL
     (SELECT id, paused_until AS at FROM "jobs" WHERE NOT enabled AND paused_until < $1 ORDER BY paused_until LIMIT $2)
     ORDER BY at LIMIT $2`,
    [until, limit],
  );
  return parseRows(dueTimer, rows);
}

/**
 * Locks those of `jobIds` whose timer is due by `until`, for the rest of the transaction; a job another firing or
 * an edit holds is skipped (that firing moves its timer; an edited job is looked at again by the clock).
 */
export async function lockDueJobs(client: SqlClient, { jobIds, until }: { jobIds: readonly string[]; until: Date }): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM "jobs"
     WHERE id = ANY($1::uuid[])
       AND ((enabled AND next_run_at <= $2) OR (NOT enabled AND paused_until <= $2))
     ORDER BY id
     FOR UPDATE SKIP LOCKED`,
    [jobIds, until],
  );
  return rows.map((row) => row.id);
}
