// Each job's latest top-level run and its last succeeded one, for a page of jobs: one index probe each, newest
// first. Benchmark: api-jobs (GraphQL jobs(first: 50), docs/benchmarks.md).
//
// `parent_run_id IS NULL` is not an equality to PostgreSQL's planner, so it would not see that the index is already
// in the wanted order and would read and sort every run of the job; naming parent_run_id (constant here) in ORDER BY
// spells out the index's order. Last success is by start time, like a new run's `since`, which is the order of the
// (job, parent, status, started_at) index.
import { z } from 'zod';
import type { Run } from '../../prisma.js';
import type { SqlClient } from '../client.js';
import { runRow } from '../rows/run.js';
import { pageJob } from './page-row.js';

const LATEST_RUNS = `
  SELECT j.id::text AS page_job_id, 'last' AS page_kind, r.* FROM unnest($1::uuid[]) AS j(id)
    CROSS JOIN LATERAL (SELECT * FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL
                        ORDER BY r.parent_run_id, r.created_at DESC LIMIT 1) r
  UNION ALL
  SELECT j.id::text, 'success', r.* FROM unnest($1::uuid[]) AS j(id)
    CROSS JOIN LATERAL (SELECT * FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
                        ORDER BY r.parent_run_id, r.status, r.started_at DESC LIMIT 1) r`;

const latestRunRow = pageJob.extend({ page_kind: z.enum(['last', 'success']) });

export interface LatestRunRow {
  jobId: string;
  /** `last`: the latest top-level run, whatever its status; `success`: the one that succeeded and started last. */
  kind: 'last' | 'success';
  run: Run;
}

export async function selectLatestRuns(sql: SqlClient, jobIds: readonly string[]): Promise<LatestRunRow[]> {
  const { rows } = await sql.query(LATEST_RUNS, [jobIds]);
  return rows.map((row) => {
    const page = latestRunRow.parse(row);
    return { jobId: page.page_job_id, kind: page.page_kind, run: runRow.parse(row) };
  });
}
