// The heartbeat's one statement: heartbeat_at of every run this worker has claimed or is executing, and their
// statuses (a run found CANCELLING is aborted by its worker). Rows are locked in id order and a row another
// statement holds is skipped: that statement is writing the run right now (a per-user page being recorded with its
// parent, bench/fanout.ts), and waiting for it while holding the rows taken so far deadlocked with it. A skipped run
// gets the next beat, well within stale_after_ms.
import { z } from 'zod';
import { RunStatus as RunStatuses } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';
import { uuid } from '../rows/columns.js';

const beatRow = z.object({ id: uuid, status: z.enum(RunStatuses) });

export async function beatRuns(client: SqlClient, ids: readonly string[], now: Date): Promise<Array<z.infer<typeof beatRow>>> {
  const { rows } = await client.query(
    `UPDATE "runs" AS r SET heartbeat_at = $2
     FROM (SELECT id FROM "runs" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE SKIP LOCKED) AS l
     WHERE r.id = l.id
     RETURNING r.id, r.status::text AS status`,
    [ids, now],
  );
  return parseRows(beatRow, rows);
}
