// The notification_deliveries table as an outbox: rows are written with a run's ending, by the statement that
// records it (db/sql/notifications/enqueue.ts), claimed by one delivery loop at a time (FOR UPDATE SKIP LOCKED), and
// settled as SENT, retried later, or FAILED. Every time is the database's clock, so processes whose clocks differ
// still agree on what is due.
import { Prisma, type NotificationChannel, type NotificationOutcome, type PrismaClient } from '../../db/prisma.js';

export { NOTIFYING_STATUSES } from '../../db/sql/notifications/enqueue.js';

export interface ClaimedDelivery {
  id: string;
  runId: string;
  channel: NotificationChannel;
  recipient: string;
  outcome: NotificationOutcome;
  /** Including this attempt. */
  attempts: number;
}

/**
 * Claims up to `limit` due deliveries for this process: each counts an attempt and is hidden from other loops
 * until `leaseMs` from now, so a process that dies mid-send leaves it to be retried, not lost.
 */
export async function claimDue(prisma: PrismaClient, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return prisma.$queryRaw<ClaimedDelivery[]>(Prisma.sql`
    WITH due AS (
      SELECT id FROM notification_deliveries
      WHERE status = 'PENDING' AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE notification_deliveries d
    SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    FROM due WHERE d.id = due.id
    RETURNING d.id::text AS id, d.run_id::text AS "runId", d.channel::text AS channel, d.recipient,
      d.outcome::text AS outcome, d.attempts`);
}

/** The attempt worked. Only the claim that made it may settle it (a stale sender after a lost lease does not). */
export async function markSent(prisma: PrismaClient, delivery: ClaimedDelivery): Promise<void> {
  await prisma.$executeRaw(Prisma.sql`
    UPDATE notification_deliveries SET status = 'SENT', sent_at = now(), last_error = NULL
    WHERE id = ${delivery.id}::uuid AND status = 'PENDING' AND attempts = ${delivery.attempts}`);
}

/** The attempt failed: try again after `retryInMs`, or give up (null). */
export async function markFailed(prisma: PrismaClient, delivery: ClaimedDelivery, error: string, retryInMs: number | null): Promise<void> {
  const lastError = error.slice(0, 2000);
  if (retryInMs === null) {
    await prisma.notificationDelivery.updateMany({
      where: { id: delivery.id, status: 'PENDING', attempts: delivery.attempts },
      data: { status: 'FAILED', lastError },
    });
    return;
  }
  await prisma.$executeRaw(Prisma.sql`
    UPDATE notification_deliveries
    SET next_attempt_at = now() + make_interval(secs => ${retryInMs / 1000}), last_error = ${lastError}
    WHERE id = ${delivery.id}::uuid AND status = 'PENDING' AND attempts = ${delivery.attempts}`);
}

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base… capped at max. `attempts` = attempts made so far. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(Math.min(maxMs, exponential * (0.8 + 0.4 * random())));
}
