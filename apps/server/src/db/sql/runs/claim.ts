// Claims queued runs for a worker: QUEUED → RUNNING, the best runs first, whichever queue entry woke the worker.
// "Best" is strict priority within the worker's queues: highest priority first, then oldest (created_at, id), runs
// waiting out a backoff (not_before) left alone. `FOR UPDATE SKIP LOCKED` lets two workers claim at the same moment
// without waiting for each other or taking the same run. A queue with a concurrency limit takes no more runs than
// it has free places: its running runs (RUNNING, CANCELLING: the index runs_queue_idx holds just those) are counted
// in the statement, and the caller holds that queue's lock
// (claimQueueLocks) around it so that two workers cannot both count the same free place. Plain SQL: on the
// trigger-latency path between the wake-up and the action (bench/latency.ts, bench/throughput.ts); the queued
// runs' order is an index (runs_priority_created_at_id_idx, partial: queued top-level runs only).
import type { Run } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { runRow } from '../rows/run.js';

export interface ClaimRuns {
  /** How many runs to claim at most (the worker's free slots). */
  limit: number;
  /** The queues the worker takes; null: every queue. */
  queues: readonly string[] | null;
  /** Queues with a concurrency limit among the worker's, and each one's limit (running runs across all workers). */
  limits: ReadonlyArray<{ queue: string; limit: number }>;
  workerId: string;
  now: Date;
}

export async function claimRuns(client: SqlClient, { limit, queues, limits, workerId, now }: ClaimRuns): Promise<Run[]> {
  const { rows } = await client.query(
    `WITH lim AS (
       SELECT l.queue, l.places - (SELECT count(*) FROM "runs" x
                                   WHERE x.queue = l.queue AND x.status IN ('RUNNING', 'CANCELLING') AND x.parent_run_id IS NULL) AS free
       FROM unnest($5::text[], $6::int[]) AS l(queue, places)
     ), candidate AS (
       SELECT r.id, r.queue, r.priority, r.created_at FROM "runs" r
       WHERE r.status = 'QUEUED' AND r.parent_run_id IS NULL
         AND ($2::text[] IS NULL OR r.queue = ANY($2::text[]))
         AND (r.not_before IS NULL OR r.not_before <= $3)
         AND NOT EXISTS (SELECT 1 FROM lim WHERE lim.queue = r.queue AND lim.free <= 0)
       ORDER BY r.priority DESC, r.created_at, r.id
       LIMIT $1
       FOR UPDATE OF r SKIP LOCKED
     ), picked AS (
       SELECT c.id FROM (
         SELECT c.id, c.queue, row_number() OVER (PARTITION BY c.queue ORDER BY c.priority DESC, c.created_at, c.id) AS place
         FROM candidate c
       ) c LEFT JOIN lim ON lim.queue = c.queue
       WHERE lim.free IS NULL OR c.place <= lim.free
     )
     UPDATE "runs" AS r SET status = 'RUNNING', started_at = $3, heartbeat_at = $3, worker_id = $4, finished_at = NULL,
       not_before = NULL
     FROM picked WHERE r.id = picked.id
     RETURNING r.*`,
    [limit, queues, now, workerId, limits.map((l) => l.queue), limits.map((l) => l.limit)],
  );
  return parseRows(runRow, rows);
}

/**
 * Takes the claim locks of the queues with a concurrency limit, in name order (so two workers never wait on each
 * other crosswise), until the transaction ends: the claim that follows counts the queue's running runs with every
 * earlier claim of it committed.
 */
export async function claimQueueLocks(client: SqlClient, queues: readonly string[]): Promise<void> {
  for (const queue of [...queues].sort()) {
    await client.query(`SELECT true AS locked FROM pg_advisory_xact_lock(hashtextextended('sundial.queue:' || $1::text, 0))`, [queue]);
  }
}
