// A per-user parent that runs again after losing its worker queues its unfinished children again. A child cut off
// with the lost worker continues its log after the lines it stored.
import type { RunStatus } from '../../prisma.js';
import type { SqlClient } from '../client.js';

export async function restartChildren(client: SqlClient, parentId: string, from: readonly RunStatus[]): Promise<number> {
  const { rowCount } = await client.query(
    `UPDATE "runs" r SET status = 'QUEUED', attempt = 1, finished_at = NULL, status_reason = 'parent run restarted',
       log_sequence = COALESCE((SELECT max(l.sequence) FROM "run_log_lines" l WHERE l.run_id = r.id), r.log_sequence)
     WHERE r.parent_run_id = $1::uuid AND r.status = ANY($2::"RunStatus"[])`,
    [parentId, from],
  );
  return rowCount ?? 0;
}
