// Chains: the follow-up runs a run's ending starts, written by the same statement (or transaction) that records the
// ending, so a process killed right after that commit loses no follow-up and a second write of the same ending adds
// none (runs(caused_by_run_id, follow_up_id) is unique). `followUpSql` is the common tail of those statements, as
// the notification outbox's (enqueue.ts): given a CTE named `ended` (id, job_id, parent_run_id, status, args,
// output, chain_depth) of runs that just changed, it inserts one run per matching follow-up of each top-level run
// that ended, and leaves a CTE named `chained` (id, job_id, status, attempt, priority) of the runs it inserted.
// A run ending for a job without follow-ups costs one probe of job_follow_ups(job_id, position).
//
// The args mapping is evaluated here, not in the engine's code, because it has to happen inside the ending's own
// statement: a path is PostgreSQL's SQL/JSON path (lax, errors silenced) over {output, args, run} of the ended
// run; a template is text with {{ path }} holes, split into parts when saved (services/chains.ts). A path that
// matches nothing fails the follow-up's run at once, saying which arg and path; the args that come out are checked
// against the action's schema before the run starts, like every run's (engine/attempt.ts).
import { z } from 'zod';
import { RunStatus as RunStatuses } from '../../generated/prisma/enums.js';
import type { RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { int, uuid } from '../rows/columns.js';
import { RUN_INSERT_COLUMNS } from './insert.js';

/** What the statement needs from the engine: the retries rule's defaults and the chain depth limit. */
export interface FollowUpSettings {
  /** Retries of each loaded action that has a default (the job's own retries come first). */
  actionRetries: Record<string, number>;
  /** When neither the job nor its action says. */
  defaultRetries: number;
  /** A follow-up deeper than this fails at once ("chain depth limit reached") instead of running. */
  maxDepth: number;
}

/** The statuses whose ending starts follow-ups; FAILED follow-ups also take INTERRUPTED, ANY takes them all. */
export const CHAINING_STATUSES = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'INTERRUPTED'] as const satisfies readonly RunStatus[];

const chaining = `'{${CHAINING_STATUSES.join(',')}}'::text[]`;

/** The value of a path over the ended run's {output, args, run}; SQL NULL when it matches nothing. */
const pathValue = (path: string) => `jsonb_path_query_first(c.doc, (${path})::jsonpath, '{}', true)`;

/** `settings` names the statement's parameter holding the FollowUpSettings as JSON, e.g. `$9::jsonb`. */
export const followUpSql = (settings: string) => `
  chain_candidates AS (
    SELECT e.id AS source_id, e.chain_depth + 1 AS depth, f.id AS follow_up_id, f.args_mapping,
      b.id AS job_id, b.args AS job_args, b.enabled, b.action, b.retries,
      jsonb_build_object('output', COALESCE(e.output, 'null'::jsonb), 'args', COALESCE(e.args, '{}'::jsonb),
        'run', jsonb_build_object('id', e.id, 'jobId', e.job_id, 'status', e.status::text)) AS doc
    FROM ended e
    JOIN "job_follow_ups" f ON f.job_id = e.job_id
    JOIN "jobs" b ON b.id = f.follow_up_job_id
    WHERE e.parent_run_id IS NULL AND e.status::text = ANY(${chaining})
      AND (f."on"::text IN ('ANY', e.status::text) OR (f."on"::text = 'FAILED' AND e.status::text = 'INTERRUPTED'))
  ),
  chain_args AS (
    SELECT c.source_id, c.follow_up_id,
      COALESCE(jsonb_object_agg(m.arg, m.value) FILTER (WHERE m.value IS NOT NULL), '{}'::jsonb) AS mapped,
      string_agg(m.arg || ': ' || m.missing || ' matched nothing', '; ' ORDER BY m.ord) FILTER (WHERE m.value IS NULL) AS problems
    FROM chain_candidates c
    LEFT JOIN LATERAL (
      SELECT x.ord, x.item->>'arg' AS arg,
        CASE
          WHEN x.item ? 'value' THEN x.item->'value'
          WHEN x.item ? 'path' THEN ${pathValue(`x.item->>'path'`)}
          ELSE (
            SELECT CASE WHEN bool_and(p.part ? 'text' OR ${pathValue(`p.part->>'path'`)} IS NOT NULL)
              THEN to_jsonb(string_agg(COALESCE(p.part->>'text', ${pathValue(`p.part->>'path'`)} #>> '{}', ''), '' ORDER BY p.ord)) END
            FROM jsonb_array_elements(x.item->'parts') WITH ORDINALITY AS p(part, ord)
          )
        END AS value,
        CASE
          WHEN x.item ? 'path' THEN x.item->>'path'
          ELSE (
            SELECT string_agg(p.part->>'path', ', ' ORDER BY p.ord) FROM jsonb_array_elements(x.item->'parts') WITH ORDINALITY AS p(part, ord)
            WHERE p.part ? 'path' AND ${pathValue(`p.part->>'path'`)} IS NULL
          )
        END AS missing
      FROM jsonb_array_elements(c.args_mapping) WITH ORDINALITY AS x(item, ord)
    ) m ON true
    GROUP BY c.source_id, c.follow_up_id
  ),
  chain_rows AS (
    SELECT c.*, a.mapped, CASE
        WHEN c.depth > (${settings}->>'maxDepth')::int THEN 'chain depth limit (' || (${settings}->>'maxDepth') || ' follow-ups in a row) reached'
        WHEN a.problems IS NOT NULL THEN 'follow-up args: ' || a.problems || ' in the ending run'
      END AS failure
    FROM chain_candidates c JOIN chain_args a ON a.source_id = c.source_id AND a.follow_up_id = c.follow_up_id
  ),
  chained AS (
    INSERT INTO "runs" (${RUN_INSERT_COLUMNS}, caused_by_run_id, follow_up_id, chain_depth, error_message)
    SELECT gen_random_uuid(), c.job_id, NULL, NULL, NULL, 'CHAIN'::"RunTrigger", NULL,
      CASE WHEN c.failure IS NULL THEN c.job_args || c.mapped ELSE c.job_args END,
      (SELECT s.started_at FROM "runs" s WHERE s.job_id = c.job_id AND s.parent_run_id IS NULL AND s.status = 'SUCCEEDED'
        ORDER BY s.started_at DESC LIMIT 1),
      now(), NULL,
      COALESCE(c.retries, (${settings}->'actionRetries'->>c.action)::int, (${settings}->>'defaultRetries')::int) + 1,
      (CASE WHEN c.failure IS NOT NULL THEN 'FAILED' WHEN NOT c.enabled THEN 'SKIPPED' ELSE 'QUEUED' END)::"RunStatus",
      CASE WHEN c.failure IS NOT NULL THEN c.failure WHEN NOT c.enabled THEN 'the job is disabled' END,
      CASE WHEN c.failure IS NOT NULL OR NOT c.enabled THEN now() END,
      false, c.source_id, c.follow_up_id, c.depth, c.failure
    FROM chain_rows c
    ON CONFLICT DO NOTHING
    RETURNING id, job_id, status, attempt
  )`;

/** The follow-up runs a statement with `followUpSql` inserted, as JSON on each of its rows. */
export const chainedJson = `(SELECT COALESCE(jsonb_agg(jsonb_build_object('id', ch.id, 'jobId', ch.job_id, 'status', ch.status,
  'attempt', ch.attempt, 'priority', j.priority)), '[]'::jsonb) FROM chained ch JOIN "jobs" j ON j.id = ch.job_id)`;

export const chainedRuns = z.array(
  z.object({ id: uuid, jobId: uuid, status: z.enum(RunStatuses), attempt: int, priority: int }).transform((run) => ({ ...run, parentRunId: null })),
);

export type ChainedRun = z.output<typeof chainedRuns>[number];

/**
 * The follow-ups of runs that have ended already (a per-user parent's roll-up, a run cancelled before it started),
 * written in the caller's transaction; a second call for the same run adds nothing.
 */
export async function startFollowUps(client: SqlClient, runIds: readonly string[], settings: FollowUpSettings): Promise<ChainedRun[]> {
  if (runIds.length === 0) return [];
  const { rows } = await client.query(
    `WITH ended AS (SELECT id, job_id, parent_run_id, status, args, output, chain_depth FROM "runs" WHERE id = ANY($1::uuid[])),
     ${followUpSql('$2::jsonb')}
     SELECT ${chainedJson} AS follow_ups`,
    [runIds, JSON.stringify(settings)],
  );
  return parseRows(z.object({ follow_ups: chainedRuns }), rows)[0]?.follow_ups ?? [];
}
