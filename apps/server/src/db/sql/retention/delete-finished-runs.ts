// Deletes these runs, re-checking in the statement that each is over and has no child left.
import type { RunStatus } from '../../prisma.js';
import type { SqlClient } from '../client.js';

const DELETE_FINISHED_RUNS = `
  DELETE FROM runs r
  WHERE r.id = ANY($1::uuid[])
    AND r.status::text = ANY($2::text[])
    AND NOT EXISTS (SELECT 1 FROM runs c WHERE c.parent_run_id = r.id)`;

export async function deleteFinishedRuns(sql: SqlClient, runIds: readonly string[], finalStatuses: readonly RunStatus[]): Promise<number> {
  const { rowCount } = await sql.query(DELETE_FINISHED_RUNS, [runIds, finalStatuses]);
  return rowCount ?? 0;
}
