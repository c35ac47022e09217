// Executes runs: claims queued runs from the runs table as this worker's slots (jobs.concurrency) free up, several per
// statement, when woken (a run queued or due anywhere, scheduler/dispatcher.ts), at each poll, and while its last claim
// filled every slot; reads each job (and its target users) while its runs are claimed, applies the overlap policy
// "queue", checks the stored args against the action's current schema, and hands the run to an attempt
// (engine/attempt.ts) or, for a per-user run, to the fan-out (engine/fan-out.ts). Every ending goes through
// engine/finish.ts. A queued run needs nothing but its row to be found: a lost wake-up costs at most one poll.
import type { Run } from '../db/prisma.js';
import { readExecutableJob, type ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { prismaSql } from '../db/sql/client.js';
import { claimQueueLocks, claimRuns } from '../db/sql/runs/claim.js';
import { resolveJobTargets } from './targets.js';
import type { ActionUser } from './actions.js';
import { checkArgs, type AttemptRunner } from './attempt.js';
import type { FanOut } from './fan-out.js';
import type { Finishing } from './finish.js';
import type { Heartbeat } from './heartbeat.js';
import { failureOutcome } from './outcome.js';
import { publishRun, type EngineResources } from './resources.js';
import { RunLog } from './run-log.js';
import type { WorkShare } from './share.js';
import { RunSlots } from './slots.js';
import { ACTIVE_STATUSES } from './transitions.js';

/** At most one log line this often while claims keep failing. */
const CLAIM_FAILURE_LOG_MS = 60_000;

/** A run handed to the dispatcher (and, in Agenda timer entries, the run a timer is for). */
export interface RunEntry {
  runId: string;
  attempt: number;
  /** The run's job, so it can be read while the run is claimed (absent in entries saved by older versions). */
  jobId?: string;
  /** The run's queue (absent in entries saved by older versions: the default queue). */
  queue?: string;
}

/** Which queues this worker takes (jobs.queues) and the concurrency limit of each limited queue (jobs.queue_concurrency). */
export interface QueueRouting {
  /** Null: every queue. */
  takes: readonly string[] | null;
  /** Runs of a queue running at once across all workers. */
  limits: Readonly<Record<string, number>>;
}

export const DEFAULT_QUEUE = 'default';

interface JobRead {
  job: ExecutableJob;
  users: ActionUser[];
}

export class Executor {
  /** Runs executing in this process (claimed by a wake-up, a poll or executeHere), awaited when the worker stops. */
  private readonly executing = new Set<Promise<void>>();
  /** Claims in flight: the runs they take are executing as far as stopping is concerned. */
  private readonly claims = new Set<Promise<number>>();
  private readonly slots: RunSlots;
  /** Set when the worker stops taking work: runs not yet claimed are left to other workers. */
  private stopping = true;
  /**
   * Whether queued runs may be waiting for this worker: set by a wake-up, a poll, or a claim that filled every slot
   * it had; cleared when a claim starts, so a wake-up heard during the claim leads to another one.
   */
  private mayHaveWork = false;
  /** A claim of the wake-up path is in flight: one at a time, so the slots freed meanwhile go in the next one. */
  private claiming = false;
  private pumpScheduled = false;
  private poll: NodeJS.Timeout | null = null;
  /** Claims failed in a row (the database is unreachable, say), and when the last of them was logged. */
  private claimFailures = { count: 0, loggedAt: 0 };
  private unlisten: (() => void) | null = null;

  /** The limited queues among this worker's, as the claim takes them. */
  private readonly limits: Array<{ queue: string; limit: number }>;

  constructor(
    private readonly resources: EngineResources,
    private readonly parts: { heartbeat: Heartbeat; attempts: AttemptRunner; finishing: Finishing; fanOut: FanOut; share: WorkShare },
    concurrency: number,
    readonly routing: QueueRouting = { takes: null, limits: {} },
    /** How often an idle worker looks for queued runs nobody announced (scheduler.process_every_ms). */
    private readonly pollMs = 1000,
  ) {
    this.slots = new RunSlots(concurrency);
    this.limits = Object.entries(routing.limits)
      .filter(([queue]) => this.takes(queue))
      .map(([queue, limit]) => ({ queue, limit }));
  }

  /** Whether this worker takes runs of the queue. */
  takes(queue: string | undefined): boolean {
    return this.routing.takes === null || this.routing.takes.includes(queue ?? DEFAULT_QUEUE);
  }

  /** Starts claiming queued runs: at once (runs may have waited while no worker ran), on wake-ups and at each poll. */
  start(): void {
    this.stopping = false;
    this.poll ??= setInterval(() => this.wake(), this.pollMs);
    this.poll.unref();
    this.unlisten ??= this.resources.bus.listen('runsQueued', ({ queues }) => this.wake(queues));
    this.wake();
  }

  /** Runs (and per-user children) executing in this process now. */
  get activeCount(): number {
    return this.parts.heartbeat.activeCount;
  }

  /** Slots taken now: runs claimed or executing in this process (recorded at each beat for the other workers). */
  get slotsInUse(): number {
    return this.slots.inUse;
  }

  /** Claims no more runs; the ones claimed finish. */
  stopTakingWork(): void {
    this.stopping = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.unlisten?.();
    this.unlisten = null;
  }

  /**
   * Runs of these queues (all queues when absent) were queued or became due: claims them as slots are free. A
   * wake-up for queues this worker does not take is ignored.
   */
  wake(queues?: readonly string[]): void {
    if (queues && !queues.some((queue) => this.takes(queue))) return;
    this.mayHaveWork = true;
    this.schedulePump();
  }

  /**
   * Starts queued runs in this process at once, as many as it has free slots for right now (run now, a fired
   * occurrence), before any other worker hears of them, so the action starts sooner. Runs another worker should take
   * (engine/share.ts; never `placed` ones: the clock already placed their firing here) come back as `handedOff`,
   * runs it cannot take now as `rest`: the dispatcher wakes the other workers (and, for `rest`, this one) for them.
   * A run taken here is claimed like any other and covered by the heartbeat, so a crash is recovered the same way.
   */
  executeHere(entries: RunEntry[], { placed = false }: { placed?: boolean } = {}): { rest: RunEntry[]; handedOff: RunEntry[] } {
    if (this.stopping || !this.parts.heartbeat.running) return { rest: entries, handedOff: [] };
    const mine: RunEntry[] = [];
    const handedOff: RunEntry[] = [];
    const others: RunEntry[] = [];
    const busy = this.slots.inUse;
    for (const entry of entries) {
      if (!this.takes(entry.queue)) others.push(entry);
      else if (placed || this.parts.share.startsHere(entry.runId, entry.queue, busy)) mine.push(entry);
      else handedOff.push(entry);
    }
    const count = this.slots.tryAcquire(mine.length);
    if (count > 0) void this.claimAndExecute(count, mine.slice(0, count));
    return { rest: [...mine.slice(count), ...others], handedOff };
  }

  /** Waits up to graceMs for the runs executing in this process, those of claims still in flight included. */
  async drain(graceMs: number): Promise<{ unfinished: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    const settled = (async () => {
      await Promise.all(this.claims);
      await Promise.all(this.executing);
    })();
    await Promise.race([settled, timeout]);
    clearTimeout(timer);
    return { unfinished: this.executing.size };
  }

  /** The next turn of the event loop: slots freed by runs that ended together are claimed in one statement. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Claims queued runs for every free slot, one claim at a time, while runs may be waiting. */
  private pump(): void {
    if (this.claiming || !this.mayHaveWork || this.stopping || !this.parts.heartbeat.running) return;
    const count = this.slots.tryAcquire(this.slots.size);
    if (count === 0) return; // a slot that frees up pumps again
    this.claiming = true;
    this.mayHaveWork = false;
    void this.claimAndExecute(count).then((claimed) => {
      this.claiming = false;
      // Every slot filled: more runs are probably waiting. Fewer: the queue (as this worker takes it) was empty.
      if (claimed === count) this.mayHaveWork = true;
      this.schedulePump();
    });
  }

  /**
   * Claims up to `count` runs for slots already taken, starts each claimed run in its slot and gives back the slots
   * it did not fill; resolves with how many it claimed, once they have started. `named`: the runs a dispatch handed
   * in, whose jobs are read while the claim runs. A failed claim leaves the runs queued: the next poll takes them.
   */
  private claimAndExecute(count: number, named: RunEntry[] = []): Promise<number> {
    const claim = this.claimAndStart(count, named);
    this.claims.add(claim);
    void claim.finally(() => this.claims.delete(claim));
    return claim;
  }

  private async claimAndStart(count: number, named: RunEntry[]): Promise<number> {
    let claimed: Array<{ run: Run; read: Promise<JobRead> }> = [];
    try {
      claimed = await this.claim(count, named);
      this.claimSucceeded();
    } catch (error) {
      this.claimFailed(error as Error);
    }
    this.slots.release(count - claimed.length);
    // The claim takes the best queued runs, not necessarily the named ones, and a named run was announced to this
    // worker alone: one it left queued gets a wake-up here instead of waiting for the poll.
    if (named.length > 0) {
      const taken = new Set(claimed.map(({ run }) => run.id));
      if (named.some((entry) => !taken.has(entry.runId))) this.wake();
    }
    for (const { run, read } of claimed) {
      const execution = this.executeClaimed(run, read).finally(() => {
        this.executing.delete(execution);
        this.slots.release();
        // A run of a limited queue freed a place: placed among the workers, so that each gets its turn at the queue.
        if (this.limits.some((limit) => limit.queue === run.queue)) {
          this.resources.dispatcher.wake([run.queue], { here: this.parts.share.claimsFreedPlace(run.id, run.queue) });
        }
        this.schedulePump();
      });
      this.executing.add(execution);
    }
    return claimed.length;
  }

  /** A database outage fails a claim at every poll: one log line a minute says so, and one when claims work again. */
  private claimFailed(error: Error): void {
    const failures = this.claimFailures;
    failures.count += 1;
    const now = Date.now();
    if (failures.count > 1 && now - failures.loggedAt < CLAIM_FAILURE_LOG_MS) return;
    failures.loggedAt = now;
    const streak = failures.count > 1 ? ` (${failures.count} claims in a row have failed; the runs stay queued)` : '';
    this.resources.logger.error(`claiming queued runs failed: ${error.message}${streak}`);
  }

  private claimSucceeded(): void {
    if (this.claimFailures.count === 0) return;
    if (this.claimFailures.count > 1) this.resources.logger.info(`claiming queued runs works again after ${this.claimFailures.count} failed claims`);
    this.claimFailures = { count: 0, loggedAt: 0 };
  }

  /**
   * Claims the best queued runs of this worker's queues in one statement, up to `count`: whichever they are (a run
   * of higher priority queued later comes first), each run at most once across all workers. `named` runs' jobs (the
   * dispatcher knows them) are read while the runs are claimed: one round trip before the action starts instead of
   * three. They are read for nothing only when the claim takes none of their runs.
   */
  private async claim(count: number, named: RunEntry[]): Promise<Array<{ run: Run; read: Promise<JobRead> }>> {
    const reads = new Map<string, Promise<JobRead>>();
    for (const entry of named) {
      if (!entry.jobId || reads.has(entry.jobId)) continue;
      const read = this.readJob(entry.jobId);
      read.catch(() => {}); // awaited by the runs that claim; a claim that fails drops it
      reads.set(entry.jobId, read);
    }
    const claim = {
      limit: count,
      queues: this.routing.takes,
      limits: this.limits,
      workerId: this.resources.workerId,
      now: new Date(),
    };
    // A limited queue's places are counted under its lock, in a transaction; other claims are one prepared statement.
    const runs =
      this.limits.length === 0
        ? await claimRuns(this.resources.sql, claim)
        : await this.resources.prisma.$transaction(async (tx) => {
            await claimQueueLocks(prismaSql(tx), this.limits.map((l) => l.queue));
            // Started once the places are counted: a claim that waited for the lock starts after the runs it waited on.
            return claimRuns(prismaSql(tx), { ...claim, now: new Date() });
          });
    for (const run of runs) this.parts.heartbeat.claim(run.id);
    return runs.map((run) => {
      let read = reads.get(run.jobId);
      if (!read) reads.set(run.jobId, (read = this.readJob(run.jobId)));
      return { run, read };
    });
  }

  private async executeClaimed(run: Run, read: Promise<JobRead>): Promise<void> {
    const { finishing } = this.parts;
    try {
      const { job, users } = await read;
      if (await this.waitsForPrevious(run, job)) return;
      publishRun(this.resources, run);
      const action = this.resources.actions.get(job.action);
      if (!action) {
        await finishing.finish(run, { status: 'FAILED', permanent: true, errorMessage: `the action "${job.action}" is not loaded in this install` }, run.logSequence);
        return;
      }
      const checked = checkArgs(run, action);
      if ('ending' in checked) {
        await finishing.finish(run, checked.ending, run.logSequence);
        return;
      }
      if (job.perUser && !run.parentRunId) {
        await this.parts.fanOut.execute(run, { job, action, users, args: checked.args });
        return;
      }
      const log = new RunLog(this.resources.sql, this.resources.bus, run.id, run.logSequence);
      const outcome = await this.parts.attempts.run(run, job, action, { user: null, users, controller: new AbortController(), log, args: checked.args });
      await finishing.finish(run, outcome, log.lastSequence, { job, action });
    } catch (error) {
      this.resources.logger.error(`run ${run.id}: the executor failed: ${(error as Error).message}`);
      await finishing.finish(run, failureOutcome(error, new AbortController().signal), run.logSequence).catch(() => {});
    } finally {
      this.parts.heartbeat.release(run.id);
    }
  }

  /** The job (it must exist) and its target users, read at once. */
  private async readJob(jobId: string): Promise<JobRead> {
    const [job, users] = await Promise.all([readExecutableJob(this.resources.sql, jobId), resolveJobTargets(this.resources.prisma, jobId)]);
    if (!job) throw new Error(`job ${jobId} no longer exists`);
    return { job, users };
  }

  /**
   * Overlap policy "queue": a run waits (RUNNING → QUEUED) while an earlier run of its job is still active. A
   * backfill's runs are one series under SKIP and QUEUE alike (skipping its own slots would defeat it): each waits
   * for the job's earlier runs and for its backfill's runs of earlier slots (they were all created at once).
   */
  private async waitsForPrevious(run: Run, job: ExecutableJob): Promise<boolean> {
    const series = run.backfillId !== null && job.overlapPolicy !== 'ALLOW';
    if ((job.overlapPolicy !== 'QUEUE' && !series) || run.parentRunId) return false;
    const earlier = await this.resources.prisma.run.findFirst({
      // Earlier runs still queued count too: the queue may hand out a later run first.
      where: {
        jobId: job.id,
        parentRunId: null,
        id: { not: run.id },
        status: { in: [...ACTIVE_STATUSES] },
        OR: [
          { createdAt: { lt: run.createdAt } },
          ...(run.backfillId ? [{ backfillId: run.backfillId, scheduledFor: { lt: run.scheduledFor } }] : []),
        ],
      },
      select: { id: true },
    });
    if (!earlier) return false;
    const at = new Date(Date.now() + 1000);
    await this.resources.prisma.run.updateMany({
      where: { id: run.id, status: 'RUNNING' },
      data: { status: 'QUEUED', startedAt: null, workerId: null, notBefore: at, statusReason: `waiting for run ${earlier.id} to finish` },
    });
    await this.resources.dispatcher.dispatch(run, { at, priority: run.priority });
    return true;
  }
}
