// The sweeper's one statement: runs whose worker is lost end (a cancel request wins: CANCELLED;
// otherwise INTERRUPTED), or, when the engine's retry rule says so, go straight back to QUEUED with attempt + 1,
// so nobody ever reads a terminal INTERRUPTED that later changes. Per-user children are never retried here: their
// parent's next execution queues them again. The same statement writes the notification outbox rows of the runs it
// ends (db/sql/notifications/enqueue.ts) and the follow-up runs their endings start (follow-ups.ts).
import { z } from 'zod';
import { RunStatus as RunStatuses } from '../../generated/prisma/enums.js';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { int, uuid } from '../rows/columns.js';
import { enqueueSql } from '../notifications/enqueue.js';
import { heldLivenessSql, livenessKeySql } from '../workers/liveness.js';
import { chainedJson, chainedRuns, followUpSql, type ChainedRun, type FollowUpSettings } from './follow-ups.js';

export interface SweepStale {
  /** Runs without a heartbeat since this time are lost. */
  cutoff: Date;
  /**
   * Runs without a heartbeat since this time (later than the cutoff) are lost too when their worker's liveness lock
   * is not held (db/sql/workers/liveness.ts): its connection closed. Null: only the cutoff counts.
   */
  lockCutoff: Date | null;
  /** The statuses of an attempt still executing (the transition table's). */
  from: readonly RunStatus[];
  /** Endings another attempt may fix (the transition table's retry rule); attempts left is the rule's other half. */
  retryable: readonly RunStatus[];
  followUps: FollowUpSettings;
}

const sweptRow = z.object({
  id: uuid,
  job_id: uuid,
  parent_run_id: uuid.nullable(),
  attempt: int,
  status: z.enum(RunStatuses),
  priority: int,
  notifications: int,
  follow_ups: chainedRuns,
});

export interface SweptRun {
  id: string;
  jobId: string;
  parentRunId: string | null;
  attempt: number;
  status: RunStatus;
  priority: number;
}

export async function sweepStaleRuns(
  client: SqlClient,
  { cutoff, lockCutoff, from, retryable, followUps }: SweepStale,
): Promise<{ swept: SweptRun[]; notifications: number; followUps: ChainedRun[] }> {
  const { rows } = await client.query(
    `WITH live AS (${heldLivenessSql}), stale AS (
       SELECT r.id, CASE WHEN r.status = 'CANCELLING' THEN 'CANCELLED' ELSE 'INTERRUPTED' END AS ending
       FROM "runs" r
       WHERE r.status = ANY($2::"RunStatus"[]) AND r.heartbeat_at < GREATEST($1, $5::timestamptz)
         AND (r.heartbeat_at < $1 OR (r.worker_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM live WHERE live.key = ${livenessKeySql('r.worker_id')})))
       FOR UPDATE SKIP LOCKED
     ), decided AS (
       SELECT s.id, s.ending, (s.ending = ANY($3::text[]) AND r.parent_run_id IS NULL AND r.attempt < r.max_attempts) AS retry
       FROM stale s JOIN "runs" r ON r.id = s.id
     ), ended AS (
     UPDATE "runs" r SET
       status = (CASE WHEN d.retry THEN 'QUEUED' ELSE d.ending END)::"RunStatus",
       status_reason = CASE
         WHEN d.retry THEN 'attempt ' || r.attempt || ' interrupted (worker lost); attempt ' || (r.attempt + 1) || ' of ' || r.max_attempts
         ELSE 'worker lost: no heartbeat since ' || to_char(r.heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END,
       attempt = CASE WHEN d.retry THEN r.attempt + 1 ELSE r.attempt END,
       finished_at = CASE WHEN d.retry THEN NULL ELSE now() END,
       worker_id = CASE WHEN d.retry THEN NULL ELSE r.worker_id END,
       -- The lost attempt's stored lines are the log so far (it never wrote its last sequence back): a retry
       -- continues after them instead of reusing their numbers, which would drop its own lines as duplicates.
       log_sequence = COALESCE((SELECT max(l.sequence) FROM "run_log_lines" l WHERE l.run_id = r.id), r.log_sequence)
     FROM decided d, "jobs" j
     WHERE r.id = d.id AND j.id = r.job_id
     RETURNING r.id, r.job_id, r.parent_run_id, r.attempt, r.status, r.created_at, j.priority, r.args, r.output, r.chain_depth
     ),
     ${enqueueSql},
     ${followUpSql('$4::jsonb')}
     SELECT e.id, e.job_id, e.parent_run_id, e.attempt, e.status::text AS status, e.priority, (SELECT count(*)::int FROM queued) AS notifications,
       ${chainedJson} AS follow_ups
     FROM ended e`,
    [cutoff, from, retryable, JSON.stringify(followUps), lockCutoff],
  );
  const parsed = parseRows(sweptRow, rows);
  return {
    swept: parsed.map((row) => ({ id: row.id, jobId: row.job_id, parentRunId: row.parent_run_id, attempt: row.attempt, status: row.status, priority: row.priority })),
    notifications: parsed[0]?.notifications ?? 0,
    followUps: parsed[0]?.follow_ups ?? [],
  };
}
