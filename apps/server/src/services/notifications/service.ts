// Notifications when runs finish. The run engine writes the outbox rows (one per recipient) in the statement that
// records a top-level run's ending (db/sql/notifications/enqueue.ts), so no ending is committed without them.
// Processes with jobs.enabled run a loop that claims due rows, sends them (SMTP, webhook), and settles them as sent,
// retried with backoff, or failed after notifications.max_attempts; the engine wakes it when it wrote rows, and it
// polls for the rest (rows written by other processes, retries due).
import type { Config } from '../../config/load.js';
import type { PrismaClient } from '../../db/prisma.js';
import type { Logger } from '../../lib/logger.js';
import { notifiedRunSelect, type NotifiedRun } from './content.js';
import { backoffMs, claimDue, markFailed, markSent, type ClaimedDelivery } from './outbox.js';
import { createSenders, DeliveryError, redactor, type Senders } from './senders.js';

/** Deliveries one process sends at once. */
const CONCURRENCY = 20;

export interface NotificationServiceDeps {
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
  /** Tests and embedders may bring their own; default: SMTP and webhooks from config. */
  senders?: Senders;
}

export class NotificationService {
  private readonly senders: Senders;
  private readonly redact: (text: string) => string;
  private readonly settings: Config['notifications'];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private delivering = false;
  private ticking: Promise<void> | null = null;
  private again = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: NotificationServiceDeps) {
    this.senders = deps.senders ?? createSenders(deps.config);
    this.redact = redactor(deps.config);
    this.settings = deps.config.notifications;
  }

  /** Starts the delivery loop (processes with jobs.enabled); others only have rows written for them. */
  start({ deliver }: { deliver: boolean }): void {
    if (deliver && !this.delivering) {
      this.delivering = true;
      this.schedule(0);
    }
  }

  /** Stops the loop and waits up to `graceMs` for sends under way. */
  async stop(graceMs = 2000): Promise<void> {
    this.delivering = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    // Sends still under way after the grace are aborted and recorded as failed attempts, to be retried later (by the
    // next process); one whose record cannot be written keeps its claim and is retried when the claim expires.
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    this.stopping.abort(new Error('the process stopped during the attempt'));
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise<void>((resolve) => setTimeout(resolve, 500).unref())]);
  }

  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void {
    if (!this.delivering) return;
    if (this.ticking) this.again = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.delivering) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        const more = this.again;
        this.again = false;
        this.schedule(more ? 0 : this.settings.poll_ms);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** Claims what is due (up to the free capacity) and starts sending it; does not wait for the sends. */
  private async tick(): Promise<void> {
    const capacity = CONCURRENCY - this.inFlight.size;
    if (capacity <= 0) return;
    let claimed: ClaimedDelivery[];
    try {
      // A claim outlives the longest attempt, so no second loop takes a delivery that is still being sent.
      claimed = await claimDue(this.deps.prisma, capacity, this.settings.timeout_ms + 30_000);
    } catch (error) {
      this.deps.logger.warn(`notifications: could not look for due deliveries: ${(error as Error).message}`);
      return;
    }
    if (claimed.length === 0) return;
    if (claimed.length === capacity) this.again = true;
    let runs: Map<string, NotifiedRun>;
    try {
      const rows = await this.deps.prisma.run.findMany({
        where: { id: { in: [...new Set(claimed.map((delivery) => delivery.runId))] } },
        select: notifiedRunSelect,
      });
      runs = new Map(rows.map((run) => [run.id, run]));
    } catch (error) {
      // The claims expire and the deliveries are tried again then.
      this.deps.logger.warn(`notifications: could not read the runs of ${claimed.length} due deliveries: ${(error as Error).message}`);
      return;
    }
    for (const delivery of claimed) {
      const sending = this.send(delivery, runs.get(delivery.runId)).finally(() => {
        this.inFlight.delete(sending);
        // A freed slot may be what due deliveries wait for.
        if (this.again) this.wake();
      });
      this.inFlight.add(sending);
    }
  }

  private async send(delivery: ClaimedDelivery, run: NotifiedRun | undefined): Promise<void> {
    const { prisma, logger } = this.deps;
    const shown = delivery.channel === 'WEBHOOK' ? safeOrigin(delivery.recipient) : delivery.recipient;
    try {
      if (!run) throw new DeliveryError('the run no longer exists', true);
      const timeout = AbortSignal.timeout(this.settings.timeout_ms);
      const timedOut = new AbortController();
      const onTimeout = () => timedOut.abort(new Error(`no answer within ${this.settings.timeout_ms} ms (notifications.timeout_ms)`));
      timeout.addEventListener('abort', onTimeout, { once: true });
      try {
        await this.senders[delivery.channel]({
          id: delivery.id,
          recipient: delivery.recipient,
          outcome: delivery.outcome,
          run,
          signal: AbortSignal.any([timedOut.signal, this.stopping.signal]),
        });
      } finally {
        timeout.removeEventListener('abort', onTimeout);
      }
    } catch (error) {
      const message = this.redact(error instanceof Error ? error.message : String(error));
      const permanent = error instanceof DeliveryError && error.permanent;
      const retryIn = !permanent && delivery.attempts < this.settings.max_attempts
        ? backoffMs(delivery.attempts, this.settings.backoff_base_ms, this.settings.backoff_max_ms)
        : null;
      logger.warn(
        `notifications: ${delivery.channel.toLowerCase()} to ${shown} failed (attempt ${delivery.attempts} of ${this.settings.max_attempts}): ${message}` +
          (retryIn === null ? '; giving up' : `; next attempt in ${Math.round(retryIn / 1000)} s`),
      );
      await markFailed(prisma, delivery, message, retryIn).catch((cause: unknown) => {
        logger.error(`notifications: could not record the failed attempt of delivery ${delivery.id}: ${(cause as Error).message}`);
      });
      return;
    }
    // Not recorded (database gone): the claim expires and the delivery is sent again — at least once, never lost.
    await markSent(prisma, delivery).catch((cause: unknown) => {
      logger.error(`notifications: delivery ${delivery.id} was sent but could not be recorded: ${(cause as Error).message}`);
    });
    logger.info(`notifications: ${delivery.channel.toLowerCase()} to ${shown} sent (run ${delivery.runId}, ${delivery.outcome})`);
  }
}

/** A webhook URL as logs show it: its origin only (paths and query strings often hold tokens). */
function safeOrigin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(invalid URL)';
}
