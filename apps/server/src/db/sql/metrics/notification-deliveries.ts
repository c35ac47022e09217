// /metrics, at scrape time: notification deliveries per channel and status (pending, sent, failed), counted over
// the outbox table every process writes to, so any one process reports the whole install.
import { z } from 'zod';
import { parseRows, type SqlClient } from '../client.js';

const DeliveriesRow = z.object({
  channel: z.string(),
  status: z.string(),
  count: z.coerce.number(),
});
export type DeliveriesRow = z.infer<typeof DeliveriesRow>;

export async function notificationDeliveriesByStatus(client: SqlClient): Promise<DeliveriesRow[]> {
  const { rows } = await client.query(
    `SELECT "channel"::text AS channel, "status"::text AS status, count(*) AS count
       FROM "notification_deliveries"
      GROUP BY "channel", "status"`,
  );
  return parseRows(DeliveriesRow, rows);
}
