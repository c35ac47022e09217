// After a claim that took fewer runs of a queue than its group named: which of the group's runs are still queued
// and due (a queue at its concurrency limit, a run another worker had locked). Those are dispatched again, so no
// queued run is left without a place in an entry. Never read when the claim took as many runs as the group named.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const row = z.object({ id: z.string(), attempt: z.number().int(), job_id: z.string(), queue: z.string() });

export async function readStillQueued(client: SqlClient, { ids, now }: { ids: readonly string[]; now: Date }): Promise<Array<{ id: string; attempt: number; jobId: string; queue: string }>> {
  const { rows } = await client.query(
    `SELECT id, attempt, job_id, queue FROM "runs"
     WHERE id = ANY($1::uuid[]) AND status = 'QUEUED' AND parent_run_id IS NULL AND (not_before IS NULL OR not_before <= $2)`,
    [ids, now],
  );
  return parseRows(row, rows).map((r) => ({ id: r.id, attempt: r.attempt, jobId: r.job_id, queue: r.queue }));
}
