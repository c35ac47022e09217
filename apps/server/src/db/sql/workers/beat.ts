// A worker's presence: one row per process executing runs, with the queues it takes, refreshed each beat and
// removed when it stops. A row whose beat is older than jobs.stale_after_ms belongs to a lost worker. The same beat
// brings back the queues that have work or jobs, so a worker that takes every queue learns of a new one. Each row
// carries the worker's runs in progress at its beat, which the other workers read to share scheduled runs.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

export interface WorkerBeat {
  id: string;
  /** Null: every queue. */
  queues: readonly string[] | null;
  /** Runs in this worker's slots now (claimed or executing). */
  activeRuns: number;
  now: Date;
}

const queueRow = z.object({ queue: z.string() });

/** Records the beat; returns every queue a job or a queued run names (for a worker that takes them all). */
export async function beatWorker(client: SqlClient, { id, queues, activeRuns, now }: WorkerBeat): Promise<string[]> {
  const { rows } = await client.query(
    `WITH beat AS (
       INSERT INTO "workers" (id, all_queues, queues, started_at, heartbeat_at, active_runs) VALUES ($1, $2, $3::text[], $4, $4, $5)
       ON CONFLICT (id) DO UPDATE SET all_queues = EXCLUDED.all_queues, queues = EXCLUDED.queues, heartbeat_at = EXCLUDED.heartbeat_at,
         active_runs = EXCLUDED.active_runs
     )
     SELECT DISTINCT queue FROM "jobs"
     UNION SELECT DISTINCT queue FROM "runs" WHERE status = 'QUEUED' AND parent_run_id IS NULL`,
    [id, queues === null, queues ?? [], now, activeRuns],
  );
  return parseRows(queueRow, rows).map((row) => row.queue);
}

const loadRow = z.object({ id: z.string(), all_queues: z.boolean(), queues: z.array(z.string()), active_runs: z.coerce.number() });

export interface WorkerLoad {
  id: string;
  /** Null: every queue. */
  queues: string[] | null;
  /** Runs in its slots at its last beat. */
  activeRuns: number;
}

/** The other workers with a beat since `aliveSince`: the queues each takes and its runs in progress at that beat. */
export async function readPeerLoads(client: SqlClient, { id, aliveSince }: { id: string; aliveSince: Date }): Promise<WorkerLoad[]> {
  const { rows } = await client.query(
    `SELECT id, all_queues, queues, active_runs FROM "workers" WHERE heartbeat_at >= $2 AND id <> $1 ORDER BY id`,
    [id, aliveSince],
  );
  return parseRows(loadRow, rows).map((row) => ({ id: row.id, queues: row.all_queues ? null : row.queues, activeRuns: row.active_runs }));
}

/** Removes a stopping worker's row, and rows of workers lost for long (their runs were swept long ago). */
export async function removeWorker(client: SqlClient, { id, lostBefore }: { id: string; lostBefore: Date }): Promise<void> {
  await client.query(`DELETE FROM "workers" WHERE id = $1 OR heartbeat_at < $2`, [id, lostBefore]);
}
