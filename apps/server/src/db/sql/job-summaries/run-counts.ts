// Each job's top-level runs counted by status, for a page of jobs (an index-only scan of each job's runs).
// Benchmark: api-jobs (GraphQL jobs(first: 50), docs/benchmarks.md).
import { z } from 'zod';
import { RunStatus } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';
import { pageJob } from './page-row.js';

const RUN_COUNTS = `
  SELECT job_id::text AS page_job_id, status::text AS status, count(*)::int AS count
  FROM runs WHERE job_id = ANY($1::uuid[]) AND parent_run_id IS NULL
  GROUP BY job_id, status`;

const runCountRow = pageJob.extend({ status: z.enum(RunStatus), count: z.number().int() });

export async function countRunsByStatus(sql: SqlClient, jobIds: readonly string[]) {
  const { rows } = await sql.query(RUN_COUNTS, [jobIds]);
  return parseRows(runCountRow, rows).map((row) => ({ jobId: row.page_job_id, status: row.status, count: row.count }));
}
