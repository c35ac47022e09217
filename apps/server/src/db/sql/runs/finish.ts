// Records the endings of runs that finish at the same moment in one statement (group commit, engine/finish.ts): the
// hottest statement of the engine (bench/throughput.ts). Only a run still executing changes; a cancel request that
// arrived while the action ran turns anything but success into "cancelled". The same statement writes the runs'
// notification outbox rows (db/sql/notifications/enqueue.ts) and the follow-up runs its ending starts
// (follow-ups.ts): an ending is never committed without them.
import { z } from 'zod';
import { RunStatus as RunStatuses } from '../../generated/prisma/enums.js';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { int, uuid } from '../rows/columns.js';
import { enqueueSql } from '../notifications/enqueue.js';
import { chainedJson, chainedRuns, followUpSql, type ChainedRun, type FollowUpSettings } from './follow-ups.js';

export interface RunEnding {
  id: string;
  status: RunStatus;
  finishedAt: Date;
  errorMessage: string | null;
  errorStack: string | null;
  /** JSON text; null keeps the stored output. */
  output: string | null;
  logSequence: number;
}

const finishedRow = z
  .object({ id: uuid, job_id: uuid, parent_run_id: uuid.nullable(), status: z.enum(RunStatuses), notifications: int, follow_ups: chainedRuns })
  .transform((row) => ({
    run: { id: row.id, jobId: row.job_id, parentRunId: row.parent_run_id, status: row.status },
    notifications: row.notifications,
    followUps: row.follow_ups,
  }));

export type FinishedRun = z.output<typeof finishedRow>['run'];

/**
 * The runs that changed (a run no longer executing is left alone and not returned), how many outbox rows were
 * written for them, and the follow-up runs their endings started.
 */
export async function finishRuns(
  client: SqlClient,
  endings: readonly RunEnding[],
  from: readonly RunStatus[],
  followUps: FollowUpSettings,
): Promise<{ finished: FinishedRun[]; notifications: number; followUps: ChainedRun[] }> {
  const column = <K extends keyof RunEnding>(key: K) => endings.map((ending) => ending[key]);
  const { rows } = await client.query(
    `WITH ended AS (
     UPDATE "runs" AS r SET
       "status" = (CASE WHEN r."status" = 'CANCELLING' AND v.status <> 'SUCCEEDED' THEN 'CANCELLED' ELSE v.status END)::"RunStatus",
       "status_reason" = CASE WHEN r."status" = 'CANCELLING' AND v.status <> 'SUCCEEDED' THEN 'cancelled while running' ELSE r."status_reason" END,
       "finished_at" = v.finished_at,
       "error_message" = v.error_message,
       "error_stack" = v.error_stack,
       "output" = CASE WHEN v.output IS NULL THEN r."output" ELSE v.output::jsonb END,
       "log_sequence" = v.log_sequence
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::int[])
       AS v(id, status, finished_at, error_message, error_stack, output, log_sequence)
     WHERE r."id" = v.id AND r."status" = ANY($8::"RunStatus"[])
     RETURNING r."id", r."job_id", r."parent_run_id", r."status", r."created_at", r."args", r."output", r."chain_depth"
     ),
     ${enqueueSql},
     ${followUpSql('$9::jsonb')}
     SELECT e.id, e.job_id, e.parent_run_id, e.status::text AS status, (SELECT count(*)::int FROM queued) AS notifications,
       ${chainedJson} AS follow_ups
     FROM ended e`,
    [
      column('id'), column('status'), column('finishedAt'), column('errorMessage'), column('errorStack'), column('output'),
      column('logSequence'), from, JSON.stringify(followUps),
    ],
  );
  const parsed = parseRows(finishedRow, rows);
  return { finished: parsed.map((row) => row.run), notifications: parsed[0]?.notifications ?? 0, followUps: parsed[0]?.followUps ?? [] };
}
