// Records a page of per-user children's endings and bumps their parent's counters in one statement (fifty pages
// make a 10,000-user run: bench/fanout.ts). Only children still executing change; a cancel request on a child wins
// over everything but success, as for any run. Returns the parent as it is now, to publish.
import { z } from 'zod';
import { RunStatus as RunStatuses } from '../../generated/prisma/enums.js';
import type { RunStatus } from '../../prisma.js';
import type { SqlClient } from '../client.js';
import { uuid } from '../rows/columns.js';

export interface ChildEnding {
  id: string;
  status: RunStatus;
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  errorMessage: string | null;
  errorStack: string | null;
  /** JSON text; null keeps none. */
  output: string | null;
  logSequence: number;
}

export interface RecordChildren {
  parentId: string;
  endings: readonly ChildEnding[];
  /** The statuses an ending may be recorded over (the transition table's). */
  from: readonly RunStatus[];
}

const parentChange = z
  .object({ id: uuid, job_id: uuid, parent_run_id: uuid.nullable(), status: z.enum(RunStatuses) })
  .transform((row) => ({ id: row.id, jobId: row.job_id, parentRunId: row.parent_run_id, status: row.status }));

export type ParentChange = z.infer<typeof parentChange>;

export async function recordChildren(client: SqlClient, { parentId, endings, from }: RecordChildren): Promise<ParentChange | null> {
  const column = <K extends keyof ChildEnding>(key: K) => endings.map((ending) => ending[key]);
  const { rows } = await client.query(
    `WITH done AS (
       UPDATE "runs" AS r SET
         "status" = (CASE WHEN r."status" = 'CANCELLING' AND v.status <> 'SUCCEEDED' THEN 'CANCELLED' ELSE v.status END)::"RunStatus",
         "attempt" = v.attempt,
         "started_at" = v.started_at,
         "finished_at" = v.finished_at,
         "error_message" = v.error_message,
         "error_stack" = v.error_stack,
         "output" = v.output::jsonb,
         "log_sequence" = v.log_sequence
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::int[])
         AS v(id, status, attempt, started_at, finished_at, error_message, error_stack, output, log_sequence)
       WHERE r.id = v.id AND r.status = ANY($10::"RunStatus"[])
       RETURNING r."status"
     )
     UPDATE "runs" p SET
       "children_succeeded" = p."children_succeeded" + (SELECT count(*) FROM done WHERE done.status = 'SUCCEEDED'),
       "children_failed" = p."children_failed" + (SELECT count(*) FROM done WHERE done.status <> 'SUCCEEDED')
     WHERE p.id = $11::uuid
     RETURNING p.id, p.job_id, p.parent_run_id, p.status::text AS status`,
    [
      column('id'), column('status'), column('attempt'), column('startedAt'), column('finishedAt'), column('errorMessage'),
      column('errorStack'), column('output'), column('logSequence'), from, parentId,
    ],
  );
  const [row] = rows;
  return row ? parentChange.parse(row) : null;
}
