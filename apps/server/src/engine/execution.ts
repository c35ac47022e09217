// Executes runs: claims queued runs as this worker's slots (jobs.concurrency) free up, several per statement, reads
// each job (and its target users) while its runs are claimed, applies the overlap policy "queue", checks the stored
// args against the action's current schema, and hands the run to an attempt (engine/attempt.ts) or, for a per-user
// run, to the fan-out (engine/fan-out.ts). Every ending goes through engine/finish.ts.
import type { Run } from '../db/prisma.js';
import { readExecutableJob, type ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { prismaSql } from '../db/sql/client.js';
import { claimQueueLocks, claimRuns } from '../db/sql/runs/claim.js';
import { readRunsOwedPlaces } from '../db/sql/runs/places-owed.js';
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

/** One run a queue entry is for. */
export interface RunEntry {
  runId: string;
  /** The attempt this entry is for: a stale entry of an earlier attempt claims nothing. */
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

/** How long a run left queued by a claim (its queue at its limit) waits before its entry wakes a worker again. */
const RECLAIM_AFTER_MS = 1000;

interface JobRead {
  job: ExecutableJob;
  users: ActionUser[];
}

export class Executor {
  /** Executions started by executeHere (outside the queue), awaited when the worker stops. */
  private readonly here = new Set<Promise<void>>();
  private readonly slots: RunSlots;
  /** Set when the worker stops taking work: runs not yet claimed are left to other workers. */
  private stopping = false;

  /** The limited queues among this worker's, as the claim takes them. */
  private readonly limits: Array<{ queue: string; limit: number }>;

  constructor(
    private readonly resources: EngineResources,
    private readonly parts: { heartbeat: Heartbeat; attempts: AttemptRunner; finishing: Finishing; fanOut: FanOut; share: WorkShare },
    concurrency: number,
    readonly routing: QueueRouting = { takes: null, limits: {} },
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

  start(): void {
    this.stopping = false;
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
  }

  /** Executes one attempt of a run (as a queue entry of one run would). Never throws. */
  execute(runId: string, attempt: number, jobId?: string): Promise<void> {
    return this.executeEntries([{ runId, attempt, ...(jobId ? { jobId } : {}) }]);
  }

  /**
   * Executes the runs of one queue entry, each in one of this worker's slots. Runs are claimed as slots free up, as
   * many per statement as there are free slots. Never throws: every failure ends up recorded on the run. When the
   * worker is stopping, runs not yet claimed go back to the queue in a new entry.
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
   * occurrence): no queue entry, no wake-up round trip, so the action starts sooner. Runs another worker should take
   * (engine/share.ts; never `placed` ones: the clock already placed their firing here) come back as `handedOff`, runs
   * it cannot take now as `rest`; both go to the queue. A run taken here is claimed like any other and covered by the heartbeat, so a
   * crash is recovered the same way (the sweeper interrupts it; a crash before the claim leaves it queued without
   * an entry, which the repair pass dispatches again).
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
    if (count > 0) {
      const execution = this.claimAndExecute(mine.slice(0, count), 'requeue');
      this.here.add(execution);
      void execution.finally(() => this.here.delete(execution));
    }
    return { rest: [...mine.slice(count), ...others], handedOff };
  }

  /** Waits up to graceMs for the runs started by executeHere (the queue's drain waits for the others). */
  async drainHere(graceMs: number): Promise<{ unfinished: number }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(this.here), timeout]);
    clearTimeout(timer);
    return { unfinished: this.here.size };
  }

  /**
   * Claims a group of runs for which slots are already taken, executes each claimed run in its slot and gives
   * back the slots of runs it did not claim. When the claim fails, a queue entry's runs stay queued (the repair
   * pass dispatches a queued run without a queue entry again); runs taken by executeHere go to the queue at once.
   */
  private async claimAndExecute(group: RunEntry[], onClaimFailure: 'leave-queued' | 'requeue'): Promise<void> {
    let claimed: Array<{ run: Run; read: Promise<JobRead> }> = [];
    let failed = false;
    try {
      claimed = await this.claim(group);
    } catch (error) {
      failed = true;
      this.resources.logger.error(`runs ${group.map((e) => e.runId).join(', ')}: the claim failed: ${(error as Error).message}`);
      if (onClaimFailure === 'requeue') await this.requeue(group);
    }
    // Alongside the claimed runs' start, not before it: the runs left unclaimed wait for another slot anyway.
    const redispatched = failed
      ? Promise.resolve()
      : this.redispatchUnclaimed(group, claimed, onClaimFailure === 'requeue' ? 0 : RECLAIM_AFTER_MS).catch((error: unknown) => {
          this.resources.logger.warn(`runs ${group.map((e) => e.runId).join(', ')}: could not queue the runs left unclaimed again: ${(error as Error).message}`);
        });
    this.slots.release(group.length - claimed.length);
    await Promise.all([redispatched, ...claimed.map(({ run, read }) => this.executeClaimed(run, read).finally(() => this.slots.release()))]);
  }

  /**
   * Claims the queued runs of a group in one statement (a run cancelled meanwhile, or another worker's — an
   * expired queue lock re-ran an old attempt — is skipped). `jobId` (sent by the dispatcher) lets each job and its
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
    const claim = {
      limit: group.length,
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

  /**
   * The claim takes the best queued runs of this worker's queues, which need not be the ones the group named (a run
   * of higher priority queued later, or one whose own entry another worker holds). Each run is queued with one place
   * (a run in an entry, or one handed to executeHere), and places of one queue are interchangeable: a claim that took
   * another entry's run leaves that entry to take one of the group's. So a claim that took as many runs of each queue
   * as the group named does nothing more; re-reading and re-queueing the group's runs there cost more than a run's
   * whole execution in a burst (bench/workers-share.ts). A claim that took fewer (the queue at its limit, runs another
   * claim had locked or that were queued after this one began) gives the places it did not use back to queued runs,
   * the group's own first, so none is left without one: at once for runs handed to this process directly, a moment
   * later for an entry's (their queue is at its limit, most likely).
   */
  private async redispatchUnclaimed(group: RunEntry[], claimed: Array<{ run: Run }>, afterMs: number): Promise<void> {
    const owed = placesOwed(group, claimed);
    if (owed.length === 0) return;
    const took = new Set(claimed.map(({ run }) => run.id));
    const now = new Date();
    const runs = await readRunsOwedPlaces(this.resources.sql, { named: group.filter((entry) => !took.has(entry.runId)).map((entry) => entry.runId), owed, now });
    const at = afterMs > 0 ? new Date(now.getTime() + afterMs) : undefined;
    await Promise.all(runs.map((run) => this.resources.dispatcher.dispatch(run, { queueOnly: true, ...(at ? { at } : {}) }).catch(() => {})));
  }

  /** Puts runs this worker will not start back in the queue (a new entry) for another worker. */
  private async requeue(entries: RunEntry[]): Promise<void> {
    await Promise.all(
      entries.map((entry) =>
        this.resources.dispatcher
          .dispatch(
            { id: entry.runId, attempt: entry.attempt, ...(entry.jobId ? { jobId: entry.jobId } : {}), ...(entry.queue ? { queue: entry.queue } : {}) },
            { queueOnly: true },
          )
          .catch(() => {}),
      ),
    );
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

/** Per queue, how many of the group's places the claim did not use: the group named more runs of it than it took. */
function placesOwed(group: RunEntry[], claimed: Array<{ run: Run }>): Array<{ queue: string; places: number }> {
  const owed = new Map<string, number>();
  const count = (queue: string, by: number) => owed.set(queue, (owed.get(queue) ?? 0) + by);
  for (const entry of group) count(entry.queue ?? DEFAULT_QUEUE, 1);
  for (const { run } of claimed) count(run.queue, -1);
  return [...owed].filter(([, places]) => places > 0).map(([queue, places]) => ({ queue, places }));
}
