// The notification_deliveries table as an outbox: rows are written with a run's ending, by the statement that
// records it (db/sql/notifications/enqueue.ts), claimed by one delivery loop at a time (FOR UPDATE SKIP LOCKED), and
// settled as SENT, retried later, or FAILED. Every time is the database's clock, so processes whose clocks differ
// still agree on what is due.
import type { PrismaClient } from '../../db/prisma.js';
import { prismaSql } from '../../db/sql/client.js';
import { claimDueDeliveries, type ClaimedDelivery } from '../../db/sql/notifications/claim-due.js';
import { markDeliverySent, retryDeliveryLater } from '../../db/sql/notifications/settle.js';

export type { ClaimedDelivery } from '../../db/sql/notifications/claim-due.js';

export { NOTIFYING_STATUSES } from '../../db/sql/notifications/enqueue.js';

/**
 * Claims up to `limit` due deliveries for this process: each counts an attempt and is hidden from other loops
 * until `leaseMs` from now, so a process that dies mid-send leaves it to be retried, not lost.
 */
export function claimDue(prisma: PrismaClient, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  return claimDueDeliveries(prismaSql(prisma), limit, leaseMs);
}

/** The attempt worked. Only the claim that made it may settle it (a stale sender after a lost lease does not). */
export async function markSent(prisma: PrismaClient, delivery: ClaimedDelivery): Promise<void> {
  await markDeliverySent(prismaSql(prisma), delivery);
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
  await retryDeliveryLater(prismaSql(prisma), delivery, lastError, retryInMs);
}

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base… capped at max. `attempts` = attempts made so far. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(Math.min(maxMs, exponential * (0.8 + 0.4 * random())));
}
