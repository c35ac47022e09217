// Claims up to `limit` due outbox rows for this process's delivery loop: each counts an attempt and is hidden from
// other loops until `leaseMs` from now, so a process that dies mid-send leaves it to be retried, not lost. Plain
// SQL: FOR UPDATE SKIP LOCKED, which Prisma's query builder cannot say.
import type { NotificationChannel, NotificationOutcome } from '../../prisma.js';
import { NotificationChannel as Channels, NotificationOutcome as Outcomes } from '../../generated/prisma/enums.js';
import { int, oneOf, text } from '../../rows.js';
import type { SqlClient } from '../client.js';

export interface ClaimedDelivery {
  id: string;
  runId: string;
  channel: NotificationChannel;
  recipient: string;
  outcome: NotificationOutcome;
  /** Including this attempt. */
  attempts: number;
}

const channels = new Set<string>(Object.values(Channels));
const outcomes = new Set<string>(Object.values(Outcomes));
const channel = oneOf(channels, (value: string): value is NotificationChannel => channels.has(value));
const outcome = oneOf(outcomes, (value: string): value is NotificationOutcome => outcomes.has(value));

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
  return rows.map((row) => ({
    id: text(row, 'id'),
    runId: text(row, 'run_id'),
    channel: channel(row, 'channel'),
    recipient: text(row, 'recipient'),
    outcome: outcome(row, 'outcome'),
    attempts: int(row, 'attempts'),
  }));
}
