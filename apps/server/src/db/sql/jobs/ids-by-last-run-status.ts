// The jobs whose latest top-level run has one of some statuses: "latest run" is not something a Prisma filter can
// say. One index probe per job (ORDER BY names parent_run_id so the planner uses the (job_id, parent_run_id,
// created_at) index, as the job summaries' latest-run statement does).
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const JobId = z.object({ id: z.string() });

export async function jobIdsByLastRunStatus(client: SqlClient, statuses: readonly string[]): Promise<string[]> {
  const { rows } = await client.query(
    `SELECT j.id::text AS id FROM jobs j
     CROSS JOIN LATERAL (SELECT r.status FROM runs r WHERE r.job_id = j.id AND r.parent_run_id IS NULL
                         ORDER BY r.parent_run_id, r.created_at DESC LIMIT 1) last
     WHERE last.status::text = ANY($1::text[])`,
    [statuses],
  );
  return parseRows(JobId, rows).map((row) => row.id);
}
