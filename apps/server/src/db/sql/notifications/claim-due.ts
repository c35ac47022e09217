// Claims up to `limit` due outbox rows for this process's delivery loop: each counts an attempt and is hidden from
// other loops until `leaseMs` from now, so a process that dies mid-send leaves it to be retried, not lost. Plain
// SQL: FOR UPDATE SKIP LOCKED, which Prisma's query builder cannot say.
import { z } from 'zod';
import { NotificationChannel, NotificationOutcome } from '../../generated/prisma/enums.js';
import { parseRows, type SqlClient } from '../client.js';
import { int, uuid } from '../rows/columns.js';

const claimedDelivery = z
  .object({
    id: uuid,
    run_id: uuid,
    channel: z.enum(NotificationChannel),
    recipient: z.string(),
    outcome: z.enum(NotificationOutcome),
    /** Including this attempt. */
    attempts: int,
  })
  .transform(({ run_id, ...delivery }) => ({ ...delivery, runId: run_id }));

export type ClaimedDelivery = z.output<typeof claimedDelivery>;

export async function claimDueDeliveries(client: SqlClient, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await client.query(
    `WITH due AS (
       SELECT id FROM notification_deliveries
       WHERE status = 'PENDING' AND next_attempt_at <= now()
       ORDER BY next_attempt_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE notification_deliveries d
     SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
     FROM due WHERE d.id = due.id
     RETURNING d.id::text AS id, d.run_id::text AS run_id, d.channel::text AS channel, d.recipient, d.outcome::text AS outcome, d.attempts`,
    [limit, leaseMs / 1000],
  );
  return parseRows(claimedDelivery, rows);
}
