// How many children a per-user parent has, per status (the engine counts them with the transition table).
import type { RunStatus } from '../../prisma.js';
import { count, runStatus } from '../../rows.js';
import type { SqlClient } from '../client.js';

export async function childStatusCounts(client: SqlClient, parentId: string): Promise<Array<{ status: RunStatus; count: number }>> {
  const { rows } = await client.query(
    `SELECT status::text AS status, count(*) AS count FROM "runs" WHERE parent_run_id = $1::uuid GROUP BY status`,
    [parentId],
  );
  return rows.map((row) => ({ status: runStatus(row, 'status'), count: count(row, 'count') }));
}
