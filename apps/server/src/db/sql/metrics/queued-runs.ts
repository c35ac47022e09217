// /metrics, at scrape time: queued top-level runs per queue, and how long the oldest one that is due has waited.
// A run queued for later (a retry's backoff, a future slot) is counted but has no age yet: only due runs can be
// stuck. Read through the runs(status, …) index; one row per queue.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const QueuedRunsRow = z.object({
  queue: z.string(),
  queued: z.coerce.number(),
  oldestDueAgeSeconds: z.coerce.number().nullable(),
});
export type QueuedRunsRow = z.infer<typeof QueuedRunsRow>;

export async function queuedRunsByQueue(client: SqlClient): Promise<QueuedRunsRow[]> {
  const { rows } = await client.query(
    `SELECT j."queue" AS queue,
            count(*) AS queued,
            EXTRACT(EPOCH FROM now() - min(r."scheduled_for") FILTER (WHERE r."scheduled_for" <= now()))::float8 AS "oldestDueAgeSeconds"
       FROM "runs" r
       JOIN "jobs" j ON j."id" = r."job_id"
      WHERE r."status" = 'QUEUED' AND r."parent_run_id" IS NULL
      GROUP BY j."queue"`,
  );
  return parseRows(QueuedRunsRow, rows);
}
