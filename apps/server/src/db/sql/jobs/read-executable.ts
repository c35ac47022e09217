// What executing a job's runs reads of the job. Plain SQL: read while its runs are claimed, on the trigger-latency
// path (bench/latency.ts).
import { z } from 'zod';
import { OverlapPolicy } from '../../generated/prisma/enums.js';
import type { Job } from '../../prisma.js';
import type { SqlClient } from '../client.js';
import { int, uuid } from '../rows/columns.js';

export type ExecutableJob = Pick<Job, 'id' | 'action' | 'concurrency' | 'overlapPolicy' | 'perUser' | 'priority' | 'retryBackoffMs' | 'timeoutMs'>;

const executableJob = z
  .object({
    id: uuid,
    action: z.string(),
    concurrency: int.nullable(),
    overlap_policy: z.enum(OverlapPolicy),
    per_user: z.boolean(),
    priority: int,
    retry_backoff_ms: int.nullable(),
    timeout_ms: int.nullable(),
  })
  .transform(
    (row): ExecutableJob => ({
      id: row.id,
      action: row.action,
      concurrency: row.concurrency,
      overlapPolicy: row.overlap_policy,
      perUser: row.per_user,
      priority: row.priority,
      retryBackoffMs: row.retry_backoff_ms,
      timeoutMs: row.timeout_ms,
    }),
  );

export async function readExecutableJob(client: SqlClient, jobId: string): Promise<ExecutableJob | null> {
  const { rows } = await client.query(
    `SELECT id, action, concurrency, overlap_policy::text AS overlap_policy, per_user, priority, retry_backoff_ms, timeout_ms
     FROM "jobs" WHERE id = $1`,
    [jobId],
  );
  const [row] = rows;
  return row ? executableJob.parse(row) : null;
}
