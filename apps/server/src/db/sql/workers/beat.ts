// A worker's presence: one row per process executing runs, with the queues it takes, refreshed each beat and
// removed when it stops. A row whose beat is older than jobs.stale_after_ms belongs to a lost worker. The same beat
// brings back the queues that have work or jobs, so a worker that takes every queue learns of a new one.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

export interface WorkerBeat {
  id: string;
  /** Null: every queue. */
  queues: readonly string[] | null;
  now: Date;
}

const queueRow = z.object({ queue: z.string() });

/** Records the beat; returns every queue a job or a queued run names (for a worker that takes them all). */
export async function beatWorker(client: SqlClient, { id, queues, now }: WorkerBeat): Promise<string[]> {
  const { rows } = await client.query(
    `WITH beat AS (
       INSERT INTO "workers" (id, all_queues, queues, started_at, heartbeat_at) VALUES ($1, $2, $3::text[], $4, $4)
       ON CONFLICT (id) DO UPDATE SET all_queues = EXCLUDED.all_queues, queues = EXCLUDED.queues, heartbeat_at = EXCLUDED.heartbeat_at
     )
     SELECT DISTINCT queue FROM "jobs"
     UNION SELECT DISTINCT queue FROM "runs" WHERE status = 'QUEUED' AND parent_run_id IS NULL`,
    [id, queues === null, queues ?? [], now],
  );
  return parseRows(queueRow, rows).map((row) => row.queue);
}

/** Removes a stopping worker's row, and rows of workers lost for long (their runs were swept long ago). */
export async function removeWorker(client: SqlClient, { id, lostBefore }: { id: string; lostBefore: Date }): Promise<void> {
  await client.query(`DELETE FROM "workers" WHERE id = $1 OR heartbeat_at < $2`, [id, lostBefore]);
}
