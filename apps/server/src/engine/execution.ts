// Executes runs: claims queued runs as this worker's slots (jobs.concurrency) free up, several per statement, reads
// each job (and its target users) while its runs are claimed, applies the overlap policy "queue", checks the stored
// args against the action's current schema, and hands the run to an attempt (engine/attempt.ts) or, for a per-user
// run, to the fan-out (engine/fan-out.ts). Every ending goes through engine/finish.ts.
import type { Run } from '../db/prisma.js';
import { readExecutableJob, type ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { claimRuns } from '../db/sql/runs/claim.js';
import { resolveJobTargets } from './targets.js';
import type { ActionUser } from './actions.js';
import { checkArgs, type AttemptRunner } from './attempt.js';
import type { FanOut } from './fan-out.js';
import type { Finishing } from './finish.js';
import type { Heartbeat } from './heartbeat.js';
import { failureOutcome } from './outcome.js';
import { publishRun, type EngineResources } from './resources.js';
import { RunLog } from './run-log.js';
import { RunSlots } from './slots.js';
import { ACTIVE_STATUSES, CLAIMABLE_STATUSES } from './transitions.js';

/** One run a queue entry is for. */
export interface RunEntry {
  runId: string;
  /** The attempt this entry is for: a stale entry of an earlier attempt claims nothing. */
  attempt: number;
  /** The run's job, so it can be read while the run is claimed (absent in entries saved by older versions). */
  jobId?: string;
}

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

  constructor(
    private readonly resources: EngineResources,
    private readonly parts: { heartbeat: Heartbeat; attempts: AttemptRunner; finishing: Finishing; fanOut: FanOut },
    concurrency: number,
  ) {
    this.slots = new RunSlots(concurrency);
  }

  start(): void {
    this.stopping = false;
  }

  /** Runs (and per-user children) executing in this process now. */
  get activeCount(): number {
    return this.parts.heartbeat.activeCount;
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
   * occurrence): no queue entry, no wake-up round trip, so the action starts sooner. Returns the entries it did
   * not take; those go to the queue. A run taken here is claimed like any other and covered by the heartbeat, so
   * a crash is recovered the same way (the sweeper interrupts it; a crash before the claim leaves it queued
   * without an entry, which the repair pass dispatches again).
   */
  executeHere(entries: RunEntry[]): RunEntry[] {
    if (this.stopping || !this.parts.heartbeat.running) return entries;
    const count = this.slots.tryAcquire(entries.length);
    if (count === 0) return entries;
    const execution = this.claimAndExecute(entries.slice(0, count), 'requeue');
    this.here.add(execution);
    void execution.finally(() => this.here.delete(execution));
    return entries.slice(count);
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
    try {
      claimed = await this.claim(group);
    } catch (error) {
      this.resources.logger.error(`runs ${group.map((e) => e.runId).join(', ')}: the claim failed: ${(error as Error).message}`);
      if (onClaimFailure === 'requeue') await this.requeue(group);
    }
    this.slots.release(group.length - claimed.length);
    await Promise.all(claimed.map(({ run, read }) => this.executeClaimed(run, read).finally(() => this.slots.release())));
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
    const runs = await claimRuns(this.resources.sql, {
      runs: group,
      from: CLAIMABLE_STATUSES,
      workerId: this.resources.workerId,
      now: new Date(),
    });
    for (const run of runs) this.parts.heartbeat.claim(run.id);
    return runs.map((run) => {
      let read = reads.get(run.jobId);
      if (!read) reads.set(run.jobId, (read = this.readJob(run.jobId)));
      return { run, read };
    });
  }

  /** Puts runs this worker will not start back in the queue (a new entry) for another worker. */
  private async requeue(entries: RunEntry[]): Promise<void> {
    await Promise.all(
      entries.map((entry) =>
        this.resources.dispatcher
          .dispatch({ id: entry.runId, attempt: entry.attempt, ...(entry.jobId ? { jobId: entry.jobId } : {}) }, { queueOnly: true })
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
    await this.resources.prisma.run.updateMany({
      where: { id: run.id, status: 'RUNNING' },
      data: { status: 'QUEUED', startedAt: null, workerId: null, statusReason: `waiting for run ${earlier.id} to finish` },
    });
    await this.resources.dispatcher.dispatch(run, { at: new Date(Date.now() + 1000), priority: job.priority });
    return true;
  }
}
