// What starting runs of these jobs reads, with each job's last success (the runs' `since`), in one statement. Plain
// SQL, as the insert: run now is on the trigger-latency path, and Prisma's per-statement cost was half of it
// (bench/latency.ts, bench/throughput.ts).
import { z } from 'zod';
import type { Job } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { int, json, timestamp, uuid } from '../rows/columns.js';
import { lastSuccessStartOf } from './last-success.js';

export type JobForStart = Pick<Job, 'id' | 'action' | 'args' | 'retries' | 'priority'> & { lastSuccessStart: Date | null };

const jobForStart = z
  .object({ id: uuid, action: z.string(), args: json, retries: int.nullable(), priority: int, since: timestamp.nullable() })
  .transform(({ since, ...job }): JobForStart => ({ ...job, lastSuccessStart: since }));

export async function readJobsForStart(client: SqlClient, jobIds: readonly string[]): Promise<Map<string, JobForStart>> {
  const { rows } = await client.query(
    `SELECT j.id, j.action, j.args, j.retries, j.priority,
       ${lastSuccessStartOf('j.id')} AS since
     FROM "jobs" j WHERE j.id = ANY($1::uuid[])`,
    [jobIds],
  );
  return new Map(parseRows(jobForStart, rows).map((job) => [job.id, job]));
}
