// The notification_deliveries table as an outbox: rows are written when a run finishes, claimed by one delivery
// loop at a time (FOR UPDATE SKIP LOCKED), and settled as SENT, retried later, or FAILED. Every time is the
// database's clock, so processes whose clocks differ still agree on what is due.
import { Prisma, type NotificationChannel, type NotificationOutcome, type PrismaClient, type RunStatus } from '../../db/prisma.js';
import { NOTIFICATION_OUTCOMES } from './settings.js';

/** Run statuses a top-level run can end in that notify (CANCELLED and SKIPPED never do). */
export const NOTIFYING_STATUSES = ['FAILED', 'TIMED_OUT', 'INTERRUPTED', 'PARTIALLY_SUCCEEDED', 'SUCCEEDED'] as const satisfies readonly RunStatus[];

/** Outcomes that say how a job is doing: the run before a success that decides whether it "recovered". */
const HEALTH_STATUSES: readonly RunStatus[] = NOTIFYING_STATUSES;

export interface JobNotifySettings {
  notifyOn: NotificationOutcome[];
  notifyEmails: string[];
  notifyWebhooks: string[];
}

/**
 * The outcome a run notifies as, given what the job asks for; null: nothing to send. A success right after a run
 * that did not succeed is RECOVERED when the job asks for RECOVERED (one notice, not two, when it also asks for
 * SUCCEEDED); otherwise SUCCEEDED when asked.
 */
export async function outcomeOf(
  prisma: PrismaClient,
  run: { id: string; jobId: string; status: RunStatus },
  notifyOn: readonly NotificationOutcome[],
): Promise<NotificationOutcome | null> {
  if (run.status !== 'SUCCEEDED') {
    const outcome = (NOTIFICATION_OUTCOMES as readonly string[]).includes(run.status) ? (run.status as NotificationOutcome) : null;
    return outcome && notifyOn.includes(outcome) ? outcome : null;
  }
  if (notifyOn.includes('RECOVERED')) {
    // The job's previous top-level run with a telling outcome, by creation: walks runs(job_id, parent_run_id,
    // created_at DESC) and stops at the first match (ORDER BY names parent_run_id so the planner sees the index's order).
    const [previous] = await prisma.$queryRaw<{ status: RunStatus }[]>(Prisma.sql`
      SELECT p.status::text AS status FROM runs r
      JOIN runs p ON p.job_id = r.job_id AND p.parent_run_id IS NULL AND p.created_at <= r.created_at AND p.id <> r.id
      WHERE r.id = ${run.id}::uuid AND p.status::text = ANY(${HEALTH_STATUSES}::text[])
      ORDER BY p.parent_run_id, p.created_at DESC LIMIT 1`);
    if (previous && previous.status !== 'SUCCEEDED') return 'RECOVERED';
  }
  return notifyOn.includes('SUCCEEDED') ? 'SUCCEEDED' : null;
}

/** The e-mail addresses of the job's chosen users and of its chosen roles' members, active users only. */
export async function notifiedUserEmails(prisma: PrismaClient, jobId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ email: string }[]>(Prisma.sql`
    SELECT u.email FROM users u
    WHERE u.active AND u.id IN (
      SELECT nu.user_id FROM job_notify_users nu WHERE nu.job_id = ${jobId}::uuid
      UNION
      SELECT ur.user_id FROM job_notify_roles nr JOIN user_roles ur ON ur.role_id = nr.role_id WHERE nr.job_id = ${jobId}::uuid
    )
    ORDER BY u.email`);
  return rows.map((row) => row.email);
}

export interface NewDelivery {
  channel: NotificationChannel;
  recipient: string;
}

/** One row per recipient; a second enqueue of the same run adds nothing (unique run, channel, recipient). */
export async function enqueueDeliveries(
  prisma: PrismaClient,
  run: { id: string; jobId: string },
  outcome: NotificationOutcome,
  deliveries: NewDelivery[],
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const { count } = await prisma.notificationDelivery.createMany({
    data: deliveries.map(({ channel, recipient }) => ({ jobId: run.jobId, runId: run.id, channel, recipient, outcome })),
    skipDuplicates: true,
  });
  return count;
}

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
