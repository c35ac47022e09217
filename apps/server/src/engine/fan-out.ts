// Per-user runs: one child run per target user, created a thousand per statement through the one insert path and
// keyed "<parent>/<user>" (a re-run parent never duplicates them), executed in pages with bounded concurrency (a
// child's attempts run inline, with backoff, inside the parent's execution), recorded a page per statement with
// the parent's counters, and rolled up: all ok → succeeded, some → partially succeeded, none → failed. The parent's
// ending and its notification outbox rows are written in one transaction.
import pLimit from 'p-limit';
import type { Run, RunStatus } from '../db/prisma.js';
import type { ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { prismaSql } from '../db/sql/client.js';
import { enqueueNotifications } from '../db/sql/notifications/enqueue.js';
import { startFollowUps } from '../db/sql/runs/follow-ups.js';
import { followUpSettings, handOverFollowUps } from './chains.js';
import { childStatusCounts } from '../db/sql/runs/child-counts.js';
import { claimChildren } from '../db/sql/runs/claim-children.js';
import { recordChildren, type ChildEnding } from '../db/sql/runs/record-children.js';
import { restartChildren } from '../db/sql/runs/restart-children.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadActionUsers } from './targets.js';
import { ENGINE_DEFAULTS, type ActionUser, type CatalogAction } from './actions.js';
import type { AttemptRunner } from './attempt.js';
import type { RunCreation } from './create.js';
import { describeEnding, retryBackoffMs } from './finish.js';
import type { Heartbeat } from './heartbeat.js';
import type { Outcome } from './outcome.js';
import { publishRun, type EngineResources } from './resources.js';
import { RunLog } from './run-log.js';
import {
  CLAIMABLE_STATUSES,
  countChildren,
  FINISHABLE_STATUSES,
  RESTARTABLE_CHILD_STATUSES,
  rollUp,
  shouldRetry,
  type ChildCounts,
} from './transitions.js';

/** Per-user children claimed and written per round trip. */
const CHILD_PAGE = 200;
/** Children inserted per statement. */
const CHILD_INSERT = 1000;

export interface Execution {
  job: ExecutableJob;
  action: CatalogAction;
  users: ActionUser[];
  /** The parent's args as checked when it started: every child runs with them. */
  args: Record<string, unknown>;
}

export class FanOut {
  constructor(
    private readonly resources: EngineResources,
    private readonly parts: { creation: RunCreation; attempts: AttemptRunner; heartbeat: Heartbeat },
  ) {}

  async execute(parent: Run, { job, action, users, args }: Execution): Promise<void> {
    const log = new RunLog(this.resources.sql, this.resources.bus, parent.id, parent.logSequence);
    if (users.length === 0) {
      await this.end(parent, 'SKIPPED', { statusReason: 'no target users (no chosen users, and no active members in the chosen roles)' });
      return;
    }
    await this.createChildren(parent, users);
    log.write('INFO', `running for ${users.length} user(s)`);

    const controller = new AbortController();
    this.parts.heartbeat.executing(parent.id, controller);
    const limit = pLimit(job.concurrency ?? action.defaults.concurrency ?? ENGINE_DEFAULTS.concurrency);
    const byId = new Map(users.map((user) => [user.id, user]));
    // A page's endings are recorded while the next page is claimed and executed (one page's record in flight at a
    // time, in page order), so the record's round trip and work do not stall the children (bench/fanout.ts,
    // 100,000 users). A failed record stops the claims and fails the execution.
    let recording: Promise<void> = Promise.resolve();
    let recordFailed = false;
    let after: string | null = null;
    try {
      for (;;) {
        if (controller.signal.aborted || recordFailed) break;
        const page = await claimChildren(this.resources.sql, {
          parentId: parent.id,
          from: CLAIMABLE_STATUSES,
          workerId: this.resources.workerId,
          now: new Date(),
          limit: CHILD_PAGE,
          after,
        });
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
        const missing = page.flatMap((child) => (child.targetUserId && !byId.has(child.targetUserId) ? [child.targetUserId] : []));
        if (missing.length > 0) for (const [id, user] of await loadActionUsers(this.resources.prisma, missing)) byId.set(id, user);
        // A claimed child waiting for its turn in the page, or for its page's record, is alive too.
        for (const child of page) this.parts.heartbeat.claim(child.id);
        const endings = await Promise.all(
          page.map((child) =>
            limit(() => this.executeChild(child, { job, action, users, args }, child.targetUserId ? (byId.get(child.targetUserId) ?? null) : null, controller.signal)),
          ),
        );
        recording = this.record(recording, parent.id, page, endings);
        // The failure itself is thrown where `recording` is awaited, below.
        recording.catch(() => {
          recordFailed = true;
        });
      }
    } finally {
      await recording.finally(() => this.parts.heartbeat.done(parent.id));
    }

    if (controller.signal.aborted) {
      await this.resources.prisma.run.updateMany({
        where: { parentRunId: parent.id, status: { in: [...CLAIMABLE_STATUSES] } },
        data: { status: 'CANCELLED', statusReason: 'parent run cancelled', finishedAt: new Date() },
      });
    }
    const counts = await this.childCounts(parent.id);
    const { status, message } = rollUp(counts);
    log.write(status === 'SUCCEEDED' ? 'INFO' : 'WARN', message);
    await log.flush();
    const finalStatus: RunStatus = controller.signal.aborted ? 'CANCELLED' : status;
    await this.end(parent, finalStatus, {
      statusReason: controller.signal.aborted ? `cancelled; ${message}` : message,
      childrenTotal: counts.total,
      childrenSucceeded: counts.succeeded,
      childrenFailed: counts.failed,
      logSequence: log.lastSequence,
      errorMessage: finalStatus === 'FAILED' || finalStatus === 'PARTIALLY_SUCCEEDED' ? message : null,
    });
  }

  /** Records a page's endings after the page before it (so counters and publishes keep page order), then releases its children. */
  private async record(previous: Promise<void>, parentId: string, page: Run[], endings: ChildEnding[]): Promise<void> {
    try {
      await previous;
      const changed = await recordChildren(this.resources.sql, { parentId, endings, from: FINISHABLE_STATUSES });
      if (changed) publishRun(this.resources, changed);
    } finally {
      for (const child of page) this.parts.heartbeat.release(child.id);
    }
  }

  /**
   * Records the parent's ending, if it is still executing. A cancel request that came meanwhile wins over everything
   * but success, as for any run.
   */
  private async end(parent: Run, status: RunStatus, data: { statusReason: string } & Partial<Pick<Run, 'childrenTotal' | 'childrenSucceeded' | 'childrenFailed' | 'logSequence' | 'errorMessage'>>): Promise<void> {
    const finishedAt = new Date();
    const running = FINISHABLE_STATUSES.filter((from) => from !== 'CANCELLING');
    // The ending, its notification outbox rows and the follow-ups it starts commit together.
    const { ended, notifications, followUps } = await this.resources.prisma.$transaction(async (tx) => {
      let [row] = await tx.run.updateManyAndReturn({ where: { id: parent.id, status: { in: running } }, data: { ...data, status, finishedAt } });
      if (!row) {
        const cancelled = status !== 'SUCCEEDED';
        [row] = await tx.run.updateManyAndReturn({
          where: { id: parent.id, status: 'CANCELLING' },
          data: { ...data, status: cancelled ? 'CANCELLED' : status, statusReason: cancelled ? `cancelled while running; ${data.statusReason}` : data.statusReason, finishedAt },
        });
      }
      if (!row) return { ended: row, notifications: 0, followUps: [] };
      const sql = prismaSql(tx);
      return {
        ended: row,
        notifications: await enqueueNotifications(sql, [row.id]),
        followUps: await startFollowUps(sql, [row.id], followUpSettings(this.resources.actions)),
      };
    });
    if (notifications > 0) this.resources.notificationsQueued(notifications);
    await handOverFollowUps(this.resources, followUps);
    if (ended) publishRun(this.resources, ended);
  }

  /** Children rows through the one insert path; children of an earlier, lost execution are queued again. */
  private async createChildren(parent: Run, users: ActionUser[]): Promise<void> {
    for (let i = 0; i < users.length; i += CHILD_INSERT) {
      await this.parts.creation.insertUnread(
        users.slice(i, i + CHILD_INSERT).map((user) => ({
          jobId: parent.jobId,
          parentRunId: parent.id,
          targetUserId: user.id,
          occurrenceKey: `${parent.id}/${user.id}`,
          trigger: parent.trigger,
          title: parent.title,
          args: parent.args,
          since: parent.since,
          scheduledFor: parent.scheduledFor,
          startedById: parent.startedById,
          maxAttempts: parent.maxAttempts,
        })),
      );
    }
    await restartChildren(this.resources.pool, parent.id, RESTARTABLE_CHILD_STATUSES);
    const counts = await this.childCounts(parent.id);
    await this.resources.prisma.run.update({
      where: { id: parent.id },
      data: { childrenTotal: counts.total, childrenSucceeded: counts.succeeded, childrenFailed: counts.failed },
    });
  }

  /** A child's attempts, inline, with backoff; resolves with its ending (never rejects). */
  private async executeChild(child: Run, execution: Execution, user: ActionUser | null, parentSignal: AbortSignal): Promise<ChildEnding> {
    const log = new RunLog(this.resources.sql, this.resources.bus, child.id, child.logSequence);
    const startedAt = new Date();
    const ending = (outcome: Outcome, attempt: number): ChildEnding => ({
      id: child.id,
      status: outcome.status,
      attempt,
      startedAt,
      finishedAt: new Date(),
      errorMessage: outcome.errorMessage ?? null,
      errorStack: outcome.errorStack ?? null,
      output: outcome.output === undefined || outcome.output === null ? null : JSON.stringify(outcome.output),
      logSequence: log.lastSequence,
    });
    let attempt = child.attempt;
    for (;;) {
      if (parentSignal.aborted) return ending({ status: 'CANCELLED', errorMessage: 'parent run cancelled' }, attempt);
      const controller = new AbortController();
      const onParentAbort = () => controller.abort(parentSignal.reason);
      parentSignal.addEventListener('abort', onParentAbort, { once: true });
      const outcome: Outcome = user
        ? await this.parts.attempts.run({ ...child, attempt }, execution.job, execution.action, { user, users: execution.users, controller, log, args: execution.args })
        : { status: 'FAILED', errorMessage: 'the target user no longer exists' };
      parentSignal.removeEventListener('abort', onParentAbort);
      if (parentSignal.aborted || !shouldRetry(outcome, { attempt, maxAttempts: child.maxAttempts })) return ending(outcome, attempt);
      log.write('WARN', `attempt ${attempt} ${describeEnding(outcome)}: ${outcome.errorMessage}; retrying`);
      await sleep(retryBackoffMs(execution.job, execution.action, attempt), undefined, { signal: parentSignal }).catch(() => {});
      attempt += 1;
    }
  }

  private async childCounts(parentId: string): Promise<ChildCounts> {
    return countChildren(await childStatusCounts(this.resources.pool, parentId));
  }
}
