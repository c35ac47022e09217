// The one statement that creates runs: run now, the API, a retry, a schedule's occurrence and per-user children all
// insert through it (engine/create.ts). Plain SQL: run now is on the trigger-latency path (bench/latency.ts,
// bench/throughput.ts: Prisma's per-statement cost was half of it) and children are written a thousand per statement
// (bench/fanout.ts). A row whose occurrence key exists already is not inserted and not returned: a second worker's
// firing of the same slot, or a re-run parent's existing child, adds nothing.
import type { Run, RunStatus, RunTrigger } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { runRow } from '../rows/run.js';

export interface NewRunRow {
  id: string;
  jobId: string;
  parentRunId: string | null;
  targetUserId: string | null;
  occurrenceKey: string | null;
  trigger: RunTrigger;
  title: string | null;
  /** The effective args as JSON text. */
  args: string;
  since: Date | null;
  /** Null: now. */
  scheduledFor: Date | null;
  startedById: string | null;
  maxAttempts: number;
  status: RunStatus;
  statusReason: string | null;
  finishedAt: Date | null;
  late: boolean;
  scheduleId: string | null;
  backfillId: string | null;
}

/** Inserts the runs in one statement; resolves with the inserted ones (all columns), in no particular order. */
export async function insertRuns(client: SqlClient, rows: readonly NewRunRow[]): Promise<Run[]> {
  const column = <K extends keyof NewRunRow>(key: K) => rows.map((row) => row[key]);
  const { rows: inserted } = await client.query(
    `INSERT INTO "runs" (id, job_id, parent_run_id, target_user_id, occurrence_key, trigger, title, args, since,
       scheduled_for, started_by_id, max_attempts, status, status_reason, finished_at, late, schedule_id, backfill_id)
     SELECT v.id, v.job_id, v.parent_run_id, v.target_user_id, v.occurrence_key, v.trigger::"RunTrigger", v.title,
       v.args::jsonb, v.since, COALESCE(v.scheduled_for, now()), v.started_by_id, v.max_attempts, v.status::"RunStatus",
       v.status_reason, v.finished_at, v.late, v.schedule_id, v.backfill_id
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::timestamptz[], $10::timestamptz[], $11::uuid[], $12::int[], $13::text[], $14::text[], $15::timestamptz[], $16::bool[],
       $17::uuid[], $18::uuid[])
       AS v(id, job_id, parent_run_id, target_user_id, occurrence_key, trigger, title, args, since, scheduled_for,
         started_by_id, max_attempts, status, status_reason, finished_at, late, schedule_id, backfill_id)
     ON CONFLICT (occurrence_key) DO NOTHING
     RETURNING *`,
    [
      column('id'), column('jobId'), column('parentRunId'), column('targetUserId'), column('occurrenceKey'),
      column('trigger'), column('title'), column('args'), column('since'), column('scheduledFor'),
      column('startedById'), column('maxAttempts'), column('status'), column('statusReason'), column('finishedAt'),
      column('late'), column('scheduleId'), column('backfillId'),
    ],
  );
  return parseRows(runRow, inserted);
}
