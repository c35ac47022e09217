// How many children a per-user parent has, per status (the engine counts them with the transition table).
import { z } from 'zod';
import { RunStatus } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';
import { int } from '../rows/columns.js';

const statusCount = z.object({ status: z.enum(RunStatus), count: int });

export async function childStatusCounts(client: SqlClient, parentId: string): Promise<Array<z.infer<typeof statusCount>>> {
  const { rows } = await client.query(
    `SELECT status::text AS status, count(*)::int AS count FROM "runs" WHERE parent_run_id = $1::uuid GROUP BY status`,
    [parentId],
  );
  return parseRows(statusCount, rows);
}
