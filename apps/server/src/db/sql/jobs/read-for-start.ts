// What starting runs of these jobs reads, with each job's last success (the runs' `since`), in one statement. Plain
// SQL, as the insert: run now is on the trigger-latency path, and Prisma's per-statement cost was half of it
// (bench/latency.ts, bench/throughput.ts).
import type { Job } from '../../prisma.js';
import { dateOrNull, int, intOrNull, json, text } from '../../rows.js';
import type { SqlClient } from '../client.js';

export type JobForStart = Pick<Job, 'id' | 'action' | 'args' | 'retries' | 'priority'> & { lastSuccessStart: Date | null };

export async function readJobsForStart(client: SqlClient, jobIds: readonly string[]): Promise<Map<string, JobForStart>> {
  const { rows } = await client.query(
    `SELECT j.id, j.action, j.args, j.retries, j.priority,
       (SELECT r.started_at FROM "runs" r
         WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
         ORDER BY r.started_at DESC LIMIT 1) AS since
     FROM "jobs" j WHERE j.id = ANY($1::uuid[])`,
    [jobIds],
  );
  return new Map(
    rows.map((row) => {
      const job: JobForStart = {
        id: text(row, 'id'),
        action: text(row, 'action'),
        args: json(row, 'args'),
        retries: intOrNull(row, 'retries'),
        priority: int(row, 'priority'),
        lastSuccessStart: dateOrNull(row, 'since'),
      };
      return [job.id, job];
    }),
  );
}
