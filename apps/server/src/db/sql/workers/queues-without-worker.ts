// Which queues no live worker takes: a queued run of such a queue waits for a worker ("waiting for a worker that
// takes queue reports"). Read for the runs the API shows and for /healthz.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const row = z.object({ queue: z.string(), waiting: z.coerce.number() });

/**
 * Of `queues` (null: every queue with queued top-level runs), those no worker with a beat since `aliveSince` takes,
 * with how many top-level runs wait in each (0 when only asked about).
 */
export async function queuesWithoutWorker(client: SqlClient, { queues, aliveSince }: { queues: readonly string[] | null; aliveSince: Date }): Promise<Array<{ queue: string; waiting: number }>> {
  const { rows } = await client.query(
    `WITH live AS (SELECT all_queues, queues FROM "workers" WHERE heartbeat_at >= $2),
     asked AS (
       SELECT q.queue, (SELECT count(*) FROM "runs" r WHERE r.status = 'QUEUED' AND r.parent_run_id IS NULL AND r.queue = q.queue) AS waiting
       FROM (SELECT unnest($1::text[]) AS queue WHERE $1::text[] IS NOT NULL
             UNION SELECT DISTINCT queue FROM "runs" WHERE $1::text[] IS NULL AND status = 'QUEUED' AND parent_run_id IS NULL) AS q
     )
     SELECT asked.queue, asked.waiting FROM asked
     WHERE NOT EXISTS (SELECT 1 FROM live WHERE live.all_queues OR asked.queue = ANY(live.queues))
     ORDER BY asked.queue`,
    [queues, aliveSince],
  );
  return parseRows(row, rows);
}
