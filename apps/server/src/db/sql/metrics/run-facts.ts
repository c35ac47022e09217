// /metrics: what the run counters and histograms label and measure (action, queue, schedule lag, duration), read
// for the runs that started or finished since the last read, in one statement per batch of changes.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const RunFactsRow = z.object({
  id: z.string(),
  status: z.string(),
  action: z.string(),
  queue: z.string(),
  scheduledFor: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
export type RunFactsRow = z.infer<typeof RunFactsRow>;

export async function runFacts(client: SqlClient, runIds: readonly string[]): Promise<RunFactsRow[]> {
  if (runIds.length === 0) return [];
  const { rows } = await client.query(
    `SELECT r."id", r."status"::text AS status, j."action", j."queue",
            r."scheduled_for" AS "scheduledFor", r."started_at" AS "startedAt", r."finished_at" AS "finishedAt"
       FROM "runs" r
       JOIN "jobs" j ON j."id" = r."job_id"
      WHERE r."id" = ANY($1::uuid[])`,
    [runIds],
  );
  return parseRows(RunFactsRow, rows);
}
