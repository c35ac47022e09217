// What executing a job's runs reads of the job. Plain SQL: read while its runs are claimed, on the trigger-latency
// path (bench/latency.ts).
import type { Job, OverlapPolicy } from '../../prisma.js';
import { OverlapPolicy as OverlapPolicies } from '../../generated/prisma/enums.js';
import { bool, int, intOrNull, oneOf, text } from '../../rows.js';
import type { SqlClient } from '../client.js';

export type ExecutableJob = Pick<Job, 'id' | 'action' | 'concurrency' | 'overlapPolicy' | 'perUser' | 'priority' | 'retryBackoffMs' | 'timeoutMs'>;

const policies = new Set<string>(Object.values(OverlapPolicies));
const overlapPolicy = oneOf(policies, (value: string): value is OverlapPolicy => policies.has(value));

export async function readExecutableJob(client: SqlClient, jobId: string): Promise<ExecutableJob | null> {
  const { rows } = await client.query(
    `SELECT id, action, concurrency, overlap_policy::text AS overlap_policy, per_user, priority, retry_backoff_ms, timeout_ms
     FROM "jobs" WHERE id = $1`,
    [jobId],
  );
  const [row] = rows;
  if (!row) return null;
  return {
    id: text(row, 'id'),
    action: text(row, 'action'),
    concurrency: intOrNull(row, 'concurrency'),
    overlapPolicy: overlapPolicy(row, 'overlap_policy'),
    perUser: bool(row, 'per_user'),
    priority: int(row, 'priority'),
    retryBackoffMs: intOrNull(row, 'retry_backoff_ms'),
    timeoutMs: intOrNull(row, 'timeout_ms'),
  };
}
