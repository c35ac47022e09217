// The one statement that creates runs: run now, the API, a retry, a schedule's occurrence and per-user children all
// insert through it (engine/create.ts). Plain SQL: run now is on the trigger-latency path (bench/latency.ts,
// bench/throughput.ts: Prisma's per-statement cost was half of it) and children are written a thousand per statement
// (bench/fanout.ts). Follow-ups are inserted with the same columns by the statement that ends their cause
// (follow-ups.ts). A row whose occurrence key exists already is not inserted and not returned: a second worker's
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

/** The columns every insert of runs fills, in this order (the follow-ups' statement, follow-ups.ts, adds its own after). */
export const RUN_INSERT_COLUMNS = `id, job_id, parent_run_id, target_user_id, occurrence_key, trigger, title, args, since,
       scheduled_for, started_by_id, max_attempts, status, status_reason, finished_at, late`;

/** The insert, returning `returning` of each row it added. */
const insertStatement = (returning: string) => `INSERT INTO "runs" (${RUN_INSERT_COLUMNS}, schedule_id, backfill_id)
     SELECT v.id, v.job_id, v.parent_run_id, v.target_user_id, v.occurrence_key, v.trigger::"RunTrigger", v.title,
       v.args::jsonb, v.since, COALESCE(v.scheduled_for, now()), v.started_by_id, v.max_attempts, v.status::"RunStatus",
       v.status_reason, v.finished_at, v.late, v.schedule_id, v.backfill_id
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::timestamptz[], $10::timestamptz[], $11::uuid[], $12::int[], $13::text[], $14::text[], $15::timestamptz[], $16::bool[],
       $17::uuid[], $18::uuid[])
       AS v(id, job_id, parent_run_id, target_user_id, occurrence_key, trigger, title, args, since, scheduled_for,
         started_by_id, max_attempts, status, status_reason, finished_at, late, schedule_id, backfill_id)
     ON CONFLICT (occurrence_key) DO NOTHING
     RETURNING ${returning}`;
const INSERT_RETURNING_ROWS = insertStatement('*');
// A row per added run rather than no RETURNING: through a Prisma transaction's client (prismaSql), the count is the
// rows returned.
const INSERT_COUNTED = insertStatement('true AS added');

const values = (rows: readonly NewRunRow[]) => {
  const column = <K extends keyof NewRunRow>(key: K) => rows.map((row) => row[key]);
  return [
    column('id'), column('jobId'), column('parentRunId'), column('targetUserId'), column('occurrenceKey'),
    column('trigger'), column('title'), column('args'), column('since'), column('scheduledFor'),
    column('startedById'), column('maxAttempts'), column('status'), column('statusReason'), column('finishedAt'),
    column('late'), column('scheduleId'), column('backfillId'),
  ];
};

/** Inserts the runs in one statement; resolves with the inserted ones (all columns), in no particular order. */
export async function insertRuns(client: SqlClient, rows: readonly NewRunRow[]): Promise<Run[]> {
  const { rows: inserted } = await client.query(INSERT_RETURNING_ROWS, values(rows));
  return parseRows(runRow, inserted);
}

/**
 * The same insert for callers that do not read the rows back (per-user children, a thousand per statement): sending
 * and parsing every column of every child was a good part of creating them (bench/fanout.ts, 100,000 users).
 * Resolves with how many runs it added.
 */
export async function insertRunsUnread(client: SqlClient, rows: readonly NewRunRow[]): Promise<number> {
  const { rows: inserted } = await client.query(INSERT_COUNTED, values(rows));
  return inserted.length;
}
