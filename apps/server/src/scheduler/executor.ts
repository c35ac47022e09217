// Executes runs: claims a queued run, calls its action with a context, records the outcome, retries with backoff,
// fans a per-user run out to one child per target user. One worker may execute many runs at once; a single
// heartbeat query a beat keeps all of them alive and carries cancel requests back from other processes.
import type pg from 'pg';
import type { Job, PrismaClient, Run, RunStatus } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { RealtimeBus } from '../realtime/bus.js';
import { createActionContext, type ActionLogLevel, type SundialData } from '@sundial/actions';
import { ENGINE_DEFAULTS, type ActionCatalog, type ActionUser, type CatalogAction } from '../services/action-catalog.js';
import { ACTIVE_STATUSES, rollUp } from '../services/run-status.js';
import type { RunDispatcher } from '../services/runs.js';
import { loadActionUsers, resolveJobTargets } from '../services/targets.js';
import {
  CancelReason,
  failureOutcome,
  raceAbort,
  retryDelayMs,
  successOutcome,
  TimeoutReason,
  type Outcome,
} from './outcome.js';
import type { RunEntry } from './dispatcher.js';
import { RunLog } from './run-log.js';
import { runFromRow } from '../db/rows.js';
import { v7 as uuidv7 } from 'uuid';
import { GroupCommit } from '../lib/group-commit.js';
import { RunSlots } from './slots.js';

export interface ExecutorOptions {
  workerId: string;
  heartbeatMs: number;
  /** Runs this worker executes at once (jobs.concurrency). */
  concurrency: number;
}

export interface ExecutorDeps {
  prisma: PrismaClient;
  /** The pool Prisma runs on, for the hottest statements in plain SQL. */
  pool: pg.Pool;
  actions: ActionCatalog;
  bus: RealtimeBus;
  dispatcher: RunDispatcher;
  logger: Logger;
  /** What actions may do with the server's data (context.sundial; services/sundial-data.ts). */
  sundial: SundialData;
}

const LEVELS: Record<ActionLogLevel, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

/** Per-user children claimed and written per round trip. */
const CHILD_PAGE = 200;

export class RunExecutor {
  /** Runs (and children) this worker is executing, by id. */
  private readonly active = new Map<string, AbortController>();
  /**
   * Runs this worker has claimed and not yet finished. The heartbeat covers them from the claim on: the queries
   * before the action starts can take longer than stale_after_ms on a busy database, and a run without beats in
   * that time would be swept as lost while it is about to run.
   */
  private readonly claimed = new Set<string>();
  /** Executions started by executeHere (outside Agenda), awaited when the worker stops. */
  private readonly here = new Set<Promise<void>>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly slots: RunSlots;
  private readonly finishes = new GroupCommit<FinishItem, RunChangeRow | null>((items) => this.writeFinishes(items));
  /** Set when the worker stops taking work: runs not yet claimed are left to other workers. */
  private stopping = false;

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly options: ExecutorOptions,
  ) {
    this.slots = new RunSlots(options.concurrency);
  }

  start(): void {
    this.stopping = false;
    this.heartbeat ??= setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Claims no more runs; the ones claimed finish (Agenda's drain waits for them). */
  stopTakingWork(): void {
    this.stopping = true;
  }

  stop(): void {
    this.stopping = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  get activeCount(): number {
    return this.active.size;
  }

  /** Asks a run executing in this process to stop (other processes learn of cancels from the heartbeat). */
  abort(runId: string, reason = new CancelReason()): boolean {
    const controller = this.active.get(runId);
    controller?.abort(reason);
    return Boolean(controller);
  }

  /** Executes one attempt of a run (as an Agenda entry of one run would). Never throws. */
  execute(runId: string, attempt: number, jobId?: string): Promise<void> {
    return this.executeEntries([{ runId, attempt, ...(jobId ? { jobId } : {}) }]);
  }

  /**
   * Executes the runs of one Agenda entry, each in one of this worker's slots (jobs.concurrency). Runs are claimed
   * as slots free up, as many per statement as there are free slots. Never throws: every failure ends up
   * recorded on the run. When the worker is stopping, runs not yet claimed go back to the queue in a new entry.
   */
  async executeEntries(entries: RunEntry[]): Promise<void> {
    const executing: Promise<void>[] = [];
    let rest = entries;
    while (rest.length > 0) {
      const count = await this.slots.acquire(rest.length);
      if (this.stopping) {
        this.slots.release(count);
        await this.requeue(rest);
        break;
      }
      executing.push(this.claimAndExecute(rest.slice(0, count), 'leave-queued'));
      rest = rest.slice(count);
    }
    await Promise.all(executing);
  }

  /**
   * Starts queued runs in this process at once, as many as it has free slots for right now (run now, a fired
   * occurrence): no queue entry, no wake-up round trip, so the action starts sooner. Returns the entries it did
   * not take; those go to the queue. A run taken here is claimed like any other and covered by the heartbeat, so
   * a crash is recovered the same way (the sweeper interrupts it; a crash before the claim leaves it queued
   * without an entry, which the repair pass dispatches again).
   */
  executeHere(entries: RunEntry[]): RunEntry[] {
    if (this.stopping || !this.heartbeat) return entries;
    const count = this.slots.tryAcquire(entries.length);
    if (count === 0) return entries;
    const execution = this.claimAndExecute(entries.slice(0, count), 'requeue');
    this.here.add(execution);
    void execution.finally(() => this.here.delete(execution));
    return entries.slice(count);
  }

  /** Waits up to graceMs for the runs started by executeHere (Agenda's drain waits for the others). */
  async drainHere(graceMs: number): Promise<{ unfinished: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(this.here), timeout]);
    clearTimeout(timer);
    return { unfinished: this.here.size };
  }

  /**
   * Claims a group of runs for which slots are already taken, executes each claimed run in its slot and gives
   * back the slots of runs it did not claim. When the claim fails, an Agenda entry's runs stay queued (the repair
   * pass dispatches a queued run without a queue entry again); runs taken by executeHere go to the queue at once.
   */
  private async claimAndExecute(group: RunEntry[], onClaimFailure: 'leave-queued' | 'requeue'): Promise<void> {
    let claimed: Array<{ run: Run; read: Promise<JobRead> }> = [];
    try {
      claimed = await this.claim(group);
    } catch (error) {
      this.deps.logger.error(`runs ${group.map((e) => e.runId).join(', ')}: the claim failed: ${(error as Error).message}`);
      if (onClaimFailure === 'requeue') await this.requeue(group);
    }
    this.slots.release(group.length - claimed.length);
    await Promise.all(claimed.map(({ run, read }) => this.executeClaimed(run, read).finally(() => this.slots.release())));
  }

  /**
   * Claims the queued runs of a group in one statement (a run cancelled meanwhile, or another worker's — an
   * expired Agenda lock re-ran an old attempt — is skipped). `jobId` (sent by the dispatcher) lets each job and its
   * targets be read while the runs are claimed: one round trip before the action starts instead of three. They
   * are read for nothing only when the claim finds nothing to do.
   */
  private async claim(group: RunEntry[]): Promise<Array<{ run: Run; read: Promise<JobRead> }>> {
    const reads = new Map<string, Promise<JobRead>>();
    for (const entry of group) {
      if (!entry.jobId || reads.has(entry.jobId)) continue;
      const read = this.readJob(entry.jobId);
      read.catch(() => {}); // awaited by the runs that claim; a claim that fails drops it
      reads.set(entry.jobId, read);
    }
    const now = new Date();
    // Plain SQL: on the trigger-latency path, between the wake-up and the action.
    const { rows } = await this.deps.pool.query(
      `UPDATE "runs" AS r SET status = 'RUNNING', started_at = $3, heartbeat_at = $3, worker_id = $4, finished_at = NULL
       FROM unnest($1::uuid[], $2::int[]) AS v(id, attempt)
       WHERE r.id = v.id AND r.attempt = v.attempt AND r.status = 'QUEUED'
       RETURNING r.*`,
      [group.map((entry) => entry.runId), group.map((entry) => entry.attempt), now, this.options.workerId],
    );
    const runs = rows.map(runFromRow);
    for (const run of runs) this.claimed.add(run.id);
    return runs.map((run) => {
      let read = reads.get(run.jobId);
      if (!read) reads.set(run.jobId, (read = this.readJob(run.jobId)));
      return { run, read };
    });
  }

  /** Puts runs this worker will not start back in the queue (a new Agenda entry) for another worker. */
  private async requeue(entries: RunEntry[]): Promise<void> {
    await Promise.all(
      entries.map((entry) =>
        this.deps.dispatcher
          .dispatch({ id: entry.runId, attempt: entry.attempt, ...(entry.jobId ? { jobId: entry.jobId } : {}) }, { queueOnly: true })
          .catch(() => {}),
      ),
    );
  }

  private async executeClaimed(run: Run, read: Promise<JobRead>): Promise<void> {
    try {
      const { job, users } = await read;
      if (await this.waitsForPrevious(run, job)) return;
      this.publish(run);
      const action = this.deps.actions.get(job.action);
      if (!action) {
        await this.finish(run, { status: 'FAILED', errorMessage: `the action "${job.action}" is not loaded in this install` }, 0, false);
        return;
      }
      if (job.perUser && !run.parentRunId) await this.executeParent(run, job, action, users);
      else await this.executeSingle(run, job, action, users);
    } catch (error) {
      this.deps.logger.error(`run ${run.id}: the executor failed: ${(error as Error).message}`);
      await this.finish(run, failureOutcome(error, new AbortController().signal), run.logSequence, false).catch(() => {});
    } finally {
      this.claimed.delete(run.id);
    }
  }

  /** The job (it must exist) and its target users, read at once; the job in plain SQL (trigger-latency path). */
  private async readJob(jobId: string): Promise<JobRead> {
    const [{ rows }, users] = await Promise.all([
      this.deps.pool.query<ExecutableJob>(
        `SELECT id, action, concurrency, overlap_policy AS "overlapPolicy", per_user AS "perUser", priority,
           retry_backoff_ms AS "retryBackoffMs", timeout_ms AS "timeoutMs"
         FROM "jobs" WHERE id = $1`,
        [jobId],
      ),
      resolveJobTargets(this.deps.prisma, jobId),
    ]);
    const [job] = rows;
    if (!job) throw new Error(`job ${jobId} no longer exists`);
    return { job, users };
  }

  /** Overlap policy "queue": a run waits while an earlier run of its job is still running. */
  private async waitsForPrevious(run: Run, job: ExecutableJob): Promise<boolean> {
    if (job.overlapPolicy !== 'QUEUE' || run.parentRunId) return false;
    const earlier = await this.deps.prisma.run.findFirst({
      // Earlier runs still queued count too: Agenda may hand out a later run first.
      where: { jobId: job.id, parentRunId: null, id: { not: run.id }, status: { in: [...ACTIVE_STATUSES] }, createdAt: { lt: run.createdAt } },
      select: { id: true },
    });
    if (!earlier) return false;
    await this.deps.prisma.run.updateMany({
      where: { id: run.id, status: 'RUNNING' },
      data: { status: 'QUEUED', startedAt: null, workerId: null, statusReason: `waiting for run ${earlier.id} to finish` },
    });
    await this.deps.dispatcher.dispatch(run, { at: new Date(Date.now() + 1000), priority: job.priority });
    return true;
  }

  private async executeSingle(run: Run, job: ExecutableJob, action: CatalogAction, users: ActionUser[]): Promise<void> {
    const controller = new AbortController();
    const log = new RunLog(this.deps.pool, this.deps.bus, run.id, run.logSequence);
    const outcome = await this.callAction(run, job, action, { user: null, users, controller, log });
    await this.finish(run, outcome, log.lastSequence, true, job, action);
  }

  /** Calls the action once with a fresh context; resolves with what happened (never rejects). */
  private async callAction(
    run: Run,
    job: ExecutableJob,
    action: CatalogAction,
    { user, users, controller, log }: { user: ActionUser | null; users: ActionUser[]; controller: AbortController; log: RunLog },
  ): Promise<Outcome> {
    const timeoutMs = job.timeoutMs ?? action.defaults.timeoutMs ?? ENGINE_DEFAULTS.timeoutMs;
    const timer = setTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs);
    this.active.set(run.id, controller);
    // Progress: the latest value wins and at most one write is in flight, whatever the action's pace.
    let latestProgress: { done: number; total: number } | null = null;
    let progressWrite: Promise<void> | null = null;
    const writeProgress = async () => {
      while (latestProgress) {
        const { done, total } = latestProgress;
        latestProgress = null;
        await this.deps.prisma.run.update({ where: { id: run.id }, data: { progressDone: done, progressTotal: total } }).catch(() => {});
      }
      progressWrite = null;
    };
    const context = createActionContext({
      args: (run.args ?? {}) as Record<string, unknown>,
      user,
      users,
      since: run.since,
      signal: controller.signal,
      run: { id: run.id, jobId: run.jobId, parentRunId: run.parentRunId, attempt: run.attempt, trigger: run.trigger, scheduledFor: run.scheduledFor },
      sundial: this.deps.sundial,
      writeLog: (line) => log.write(LEVELS[line.level], line.message, line.data),
      writeProgress: (done, total) => {
        latestProgress = { done, total };
        progressWrite ??= writeProgress();
      },
    });
    try {
      const value = await raceAbort(Promise.resolve().then(() => action.run(context)), controller.signal);
      return successOutcome(value);
    } catch (error) {
      return failureOutcome(error, controller.signal);
    } finally {
      clearTimeout(timer);
      this.active.delete(run.id);
      // Assigned in callbacks: the narrowing sees only the initial null.
      await Promise.all([log.flush(), progressWrite as Promise<void> | null]);
    }
  }

  /**
   * Records an attempt's outcome. A failed or timed-out attempt with attempts left goes back to the queue with
   * backoff (same run, attempt + 1); a cancel request wins over everything but success.
   */
  private async finish(
    run: Run,
    outcome: Outcome,
    logSequence: number,
    mayRetry: boolean,
    job?: ExecutableJob,
    action?: CatalogAction,
  ): Promise<void> {
    const retryable = mayRetry && (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT') && run.attempt < run.maxAttempts;
    if (retryable && job) {
      const base = job.retryBackoffMs ?? action?.defaults.retryBackoffMs ?? ENGINE_DEFAULTS.retryBackoffMs;
      const at = new Date(Date.now() + retryDelayMs(base, run.attempt));
      const [queued] = await this.deps.prisma.run.updateManyAndReturn({
        where: { id: run.id, status: 'RUNNING' },
        data: {
          status: 'QUEUED',
          attempt: run.attempt + 1,
          statusReason: `attempt ${run.attempt} ${outcome.status === 'TIMED_OUT' ? 'timed out' : 'failed'}: ${outcome.errorMessage}; attempt ${run.attempt + 1} of ${run.maxAttempts} at ${at.toISOString()}`,
          errorMessage: outcome.errorMessage ?? null,
          errorStack: outcome.errorStack ?? null,
          logSequence,
          workerId: null,
        },
      });
      if (queued) {
        this.publish(queued);
        await this.deps.dispatcher.dispatch(queued, { at, priority: job.priority });
        return;
      }
    }
    const row = await this.finishes.add({ id: run.id, outcome, logSequence, finishedAt: new Date() });
    if (row) this.publish(row);
  }

  /**
   * Records the final outcome of runs that finish at the same moment in one statement (group commit): a lone run
   * is written at once, runs finishing while a write is in flight go together in the next. Only a run still
   * running (or being cancelled) changes; a cancel request that arrived while the action ran turns anything but
   * success into "cancelled". Plain SQL on the shared pool: this is the hottest statement of the engine.
   */
  private async writeFinishes(items: FinishItem[]): Promise<Array<RunChangeRow | null>> {
    const { rows } = await this.deps.pool.query<{ id: string; job_id: string; parent_run_id: string | null; status: RunStatus }>(
      `UPDATE "runs" AS r SET
         "status" = (CASE WHEN r."status" = 'CANCELLING' AND v.status <> 'SUCCEEDED' THEN 'CANCELLED' ELSE v.status END)::"RunStatus",
         "status_reason" = CASE WHEN r."status" = 'CANCELLING' AND v.status <> 'SUCCEEDED' THEN 'cancelled while running' ELSE r."status_reason" END,
         "finished_at" = v.finished_at,
         "error_message" = v.error_message,
         "error_stack" = v.error_stack,
         "output" = CASE WHEN v.output IS NULL THEN r."output" ELSE v.output::jsonb END,
         "log_sequence" = v.log_sequence
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::int[])
         AS v(id, status, finished_at, error_message, error_stack, output, log_sequence)
       WHERE r."id" = v.id AND r."status" IN ('RUNNING', 'CANCELLING')
       RETURNING r."id", r."job_id", r."parent_run_id", r."status"`,
      [
        items.map((item) => item.id),
        items.map((item) => item.outcome.status),
        items.map((item) => item.finishedAt),
        items.map((item) => item.outcome.errorMessage ?? null),
        items.map((item) => item.outcome.errorStack ?? null),
        items.map((item) => (item.outcome.output === undefined || item.outcome.output === null ? null : JSON.stringify(item.outcome.output))),
        items.map((item) => item.logSequence),
      ],
    );
    const byId = new Map(rows.map((row) => [row.id, { id: row.id, jobId: row.job_id, parentRunId: row.parent_run_id, status: row.status }]));
    return items.map((item) => byId.get(item.id) ?? null);
  }

  /** One child run per target user, created in batches, executed with bounded concurrency, rolled up. */
  private async executeParent(parent: Run, job: ExecutableJob, action: CatalogAction, users: ActionUser[]): Promise<void> {
    const log = new RunLog(this.deps.pool, this.deps.bus, parent.id, parent.logSequence);
    if (users.length === 0) {
      await this.deps.prisma.run.updateMany({
        where: { id: parent.id, status: { in: ['RUNNING', 'CANCELLING'] } },
        data: { status: 'SKIPPED', statusReason: 'no target users (no chosen users, and no active members in the chosen roles)', finishedAt: new Date() },
      });
      this.publish({ ...parent, status: 'SKIPPED' });
      return;
    }
    await this.createChildren(parent, users);
    log.write('INFO', `running for ${users.length} user(s)`);

    const controller = new AbortController();
    this.active.set(parent.id, controller);
    const concurrency = job.concurrency ?? action.defaults.concurrency ?? ENGINE_DEFAULTS.concurrency;
    const byId = new Map(users.map((user) => [user.id, user]));
    try {
      for (;;) {
        if (controller.signal.aborted) break;
        const page = await this.claimChildren(parent.id);
        if (page.length === 0) break;
        const missing = page.filter((child) => child.targetUserId && !byId.has(child.targetUserId)).map((c) => c.targetUserId!);
        if (missing.length > 0) for (const [id, user] of await loadActionUsers(this.deps.prisma, missing)) byId.set(id, user);
        // A claimed child waiting for its turn in the page is alive too.
        for (const child of page) this.claimed.add(child.id);
        try {
          const results = await mapLimit(page, concurrency, (child) =>
            this.executeChild(child, job, action, child.targetUserId ? (byId.get(child.targetUserId) ?? null) : null, users, controller.signal),
          );
          await this.recordChildren(parent.id, results);
        } finally {
          for (const child of page) this.claimed.delete(child.id);
        }
      }
    } finally {
      this.active.delete(parent.id);
    }

    if (controller.signal.aborted) {
      await this.deps.prisma.run.updateMany({
        where: { parentRunId: parent.id, status: 'QUEUED' },
        data: { status: 'CANCELLED', statusReason: 'parent run cancelled', finishedAt: new Date() },
      });
    }
    const counts = await this.childCounts(parent.id);
    const { status, message } = rollUp(counts);
    log.write(status === 'SUCCEEDED' ? 'INFO' : 'WARN', message);
    await log.flush();
    const finalStatus: RunStatus = controller.signal.aborted ? 'CANCELLED' : status;
    const [finished] = await this.deps.prisma.run.updateManyAndReturn({
      where: { id: parent.id, status: { in: ['RUNNING', 'CANCELLING'] } },
      data: {
        status: finalStatus,
        statusReason: controller.signal.aborted ? `cancelled; ${message}` : message,
        childrenTotal: counts.total,
        childrenSucceeded: counts.succeeded,
        childrenFailed: counts.failed,
        finishedAt: new Date(),
        logSequence: log.lastSequence,
        errorMessage: finalStatus === 'FAILED' || finalStatus === 'PARTIALLY_SUCCEEDED' ? message : null,
      },
    });
    if (finished) this.publish(finished);
  }

  /**
   * The next page of a parent's queued children, claimed in one statement (plain SQL: fifty of these make a
   * 10,000-user run, and Prisma's cost per returned row was a good part of it).
   */
  private async claimChildren(parentId: string): Promise<Run[]> {
    const now = new Date();
    const { rows } = await this.deps.pool.query(
      `UPDATE "runs" AS r SET status = 'RUNNING', started_at = $2, heartbeat_at = $2, worker_id = $3
       WHERE r.id IN (SELECT c.id FROM "runs" c WHERE c.parent_run_id = $1 AND c.status = 'QUEUED' ORDER BY c.id LIMIT $4)
         AND r.status = 'QUEUED'
       RETURNING r.*`,
      [parentId, now, this.options.workerId, CHILD_PAGE],
    );
    return rows.map(runFromRow).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Children rows, keyed parent/user so a re-run parent never duplicates them; interrupted ones run again. */
  private async createChildren(parent: Run, users: ActionUser[]): Promise<void> {
    for (let i = 0; i < users.length; i += 1000) {
      const page = users.slice(i, i + 1000);
      // One statement per thousand children, the parent's fields given once (plain SQL, as claimChildren).
      await this.deps.pool.query(
        `INSERT INTO "runs" (id, job_id, parent_run_id, target_user_id, occurrence_key, trigger, title, args, since,
           scheduled_for, started_by_id, max_attempts)
         SELECT c.id, p.job_id, p.id, c.user_id, p.id::text || '/' || c.user_id::text, p.trigger, p.title, p.args, p.since,
           p.scheduled_for, p.started_by_id, p.max_attempts
         FROM "runs" p, unnest($2::uuid[], $3::uuid[]) AS c(id, user_id)
         WHERE p.id = $1
         ON CONFLICT (occurrence_key) DO NOTHING`,
        [parent.id, page.map(() => uuidv7()), page.map((user) => user.id)],
      );
    }
    // A child cut off with its parent's lost worker continues its log after the lines it stored.
    await this.deps.prisma.$executeRaw`
      UPDATE "runs" r SET status = 'QUEUED', attempt = 1, finished_at = NULL, status_reason = 'parent run restarted',
        log_sequence = COALESCE((SELECT max(l.sequence) FROM "run_log_lines" l WHERE l.run_id = r.id), r.log_sequence)
      WHERE r.parent_run_id = ${parent.id}::uuid AND r.status IN ('RUNNING', 'INTERRUPTED', 'CANCELLING')`;
    const counts = await this.childCounts(parent.id);
    await this.deps.prisma.run.update({
      where: { id: parent.id },
      data: { childrenTotal: counts.total, childrenSucceeded: counts.succeeded, childrenFailed: counts.failed },
    });
  }

  /** A child's attempts run inline, with backoff, inside the parent's execution. */
  private async executeChild(
    child: Run,
    job: ExecutableJob,
    action: CatalogAction,
    user: ActionUser | null,
    users: ActionUser[],
    parentSignal: AbortSignal,
  ): Promise<ChildResult> {
    const log = new RunLog(this.deps.pool, this.deps.bus, child.id, child.logSequence);
    const startedAt = new Date();
    let attempt = child.attempt;
    for (;;) {
      if (parentSignal.aborted) {
        const outcome: Outcome = { status: 'CANCELLED', errorMessage: 'parent run cancelled' };
        return { id: child.id, outcome, attempt, startedAt, finishedAt: new Date(), logSequence: log.lastSequence };
      }
      const controller = new AbortController();
      const onParentAbort = () => controller.abort(parentSignal.reason);
      parentSignal.addEventListener('abort', onParentAbort, { once: true });
      const outcome = user
        ? await this.callAction({ ...child, attempt }, job, action, { user, users, controller, log })
        : { status: 'FAILED' as const, errorMessage: 'the target user no longer exists' };
      parentSignal.removeEventListener('abort', onParentAbort);
      const retry = (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT') && attempt < child.maxAttempts && !parentSignal.aborted;
      if (!retry) return { id: child.id, outcome, attempt, startedAt, finishedAt: new Date(), logSequence: log.lastSequence };
      const base = job.retryBackoffMs ?? action.defaults.retryBackoffMs ?? ENGINE_DEFAULTS.retryBackoffMs;
      log.write('WARN', `attempt ${attempt} ${outcome.status === 'TIMED_OUT' ? 'timed out' : 'failed'}: ${outcome.errorMessage}; retrying`);
      await sleep(retryDelayMs(base, attempt), parentSignal);
      attempt += 1;
    }
  }

  /** Writes a page of children's outcomes in one statement and bumps the parent's counters atomically. */
  private async recordChildren(parentId: string, results: ChildResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.deps.prisma.$executeRaw`
      UPDATE "runs" AS r SET
        "status" = v.status::"RunStatus",
        "attempt" = v.attempt,
        "started_at" = v.started_at,
        "finished_at" = v.finished_at,
        "error_message" = v.error_message,
        "error_stack" = v.error_stack,
        "output" = v.output::jsonb,
        "log_sequence" = v.log_sequence
      FROM unnest(
        ${results.map((r) => r.id)}::uuid[],
        ${results.map((r) => r.outcome.status)}::text[],
        ${results.map((r) => r.attempt)}::int[],
        ${results.map((r) => r.startedAt)}::timestamptz[],
        ${results.map((r) => r.finishedAt)}::timestamptz[],
        ${results.map((r) => r.outcome.errorMessage ?? null)}::text[],
        ${results.map((r) => r.outcome.errorStack ?? null)}::text[],
        ${results.map((r) => (r.outcome.output === undefined || r.outcome.output === null ? null : JSON.stringify(r.outcome.output)))}::text[],
        ${results.map((r) => r.logSequence)}::int[]
      ) AS v(id, status, attempt, started_at, finished_at, error_message, error_stack, output, log_sequence)
      WHERE r.id = v.id AND r.status IN ('RUNNING', 'CANCELLING')`;
    const succeeded = results.filter((r) => r.outcome.status === 'SUCCEEDED').length;
    await this.deps.prisma.$executeRaw`
      UPDATE "runs" SET "children_succeeded" = "children_succeeded" + ${succeeded},
        "children_failed" = "children_failed" + ${results.length - succeeded}
      WHERE "id" = ${parentId}::uuid`;
    const [parent] = await this.deps.prisma.run.findMany({ where: { id: parentId } });
    if (parent) this.publish(parent);
  }

  private async childCounts(parentId: string) {
    const groups = await this.deps.prisma.run.groupBy({ by: ['status'], where: { parentRunId: parentId }, _count: { _all: true } });
    let total = 0;
    let succeeded = 0;
    let failed = 0;
    for (const group of groups) {
      total += group._count._all;
      if (group.status === 'SUCCEEDED') succeeded += group._count._all;
      else if (group.status !== 'QUEUED' && group.status !== 'RUNNING' && group.status !== 'CANCELLING') failed += group._count._all;
    }
    return { total, succeeded, failed };
  }

  /** Keeps this worker's runs alive and picks up cancel requests made in other processes. */
  private async beat(): Promise<void> {
    const ids = [...new Set([...this.claimed, ...this.active.keys()])];
    if (ids.length === 0) return;
    try {
      const rows = await this.deps.prisma.run.updateManyAndReturn({
        where: { id: { in: ids } },
        data: { heartbeatAt: new Date() },
        select: { id: true, status: true },
      });
      for (const row of rows) if (row.status === 'CANCELLING') this.abort(row.id, new CancelReason('cancelled while running'));
    } catch (error) {
      this.deps.logger.warn(`heartbeat failed: ${(error as Error).message}`);
    }
  }

  private publish(run: Pick<Run, 'id' | 'jobId' | 'parentRunId' | 'status'>): void {
    this.deps.bus.publishRunChange({ runId: run.id, jobId: run.jobId, parentRunId: run.parentRunId, status: run.status });
  }
}

interface FinishItem {
  id: string;
  outcome: Outcome;
  logSequence: number;
  finishedAt: Date;
}

type RunChangeRow = Pick<Run, 'id' | 'jobId' | 'parentRunId' | 'status'>;

/** What executing a job's runs reads of the job. */
type ExecutableJob = Pick<Job, 'id' | 'action' | 'concurrency' | 'overlapPolicy' | 'perUser' | 'priority' | 'retryBackoffMs' | 'timeoutMs'>;

interface JobRead {
  job: ExecutableJob;
  users: ActionUser[];
}

interface ChildResult {
  id: string;
  outcome: Outcome;
  attempt: number;
  startedAt: Date;
  finishedAt: Date;
  logSequence: number;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
