// The rules for runs: how one is started (effective args, since, attempts), cancelled or retried.
// Execution itself is the scheduler's; it reports back through RunService and the run-store functions.
import type { Job, Prisma, PrismaClient, Run, RunTrigger } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import { ENGINE_DEFAULTS, type ActionCatalog } from './action-catalog.js';
import { ConflictError, NotFoundError, prefixFields, ValidationError } from './errors.js';
import { eachAloneOnFailure, GroupCommit, ItemFailure } from '../lib/group-commit.js';
import { canCancel, canRetry } from './run-status.js';
import { isUuid } from './ids.js';

/** Hands a queued run to the scheduler to execute, now or at a time (retry backoff). */
export interface RunDispatcher {
  dispatch(run: Pick<Run, 'id' | 'attempt'> & Partial<Pick<Run, 'jobId'>>, options?: { at?: Date; priority?: number }): Promise<void>;
}

export interface StartRunInput {
  trigger: Extract<RunTrigger, 'MANUAL' | 'API'>;
  /** Overrides the job's args key by key; the result is validated. */
  args?: Record<string, unknown>;
  title?: string | null;
  /** Overrides the start time of the last succeeded run. */
  since?: Date | null;
  startedById?: string | null;
}

export interface RunServiceDeps {
  prisma: PrismaClient;
  actions: ActionCatalog;
  dispatcher: RunDispatcher;
  bus: RealtimeBus;
}


export class RunService {
  // Run now from many callers at once (API dispatch, bursts of clicks) shares statements: concurrent starts are
  // served as a group — their jobs and last successes read in one statement each, their runs inserted in one, and
  // queued in one Agenda entry (group commit: a lone start goes at once; see lib/group-commit.ts).
  private readonly starts = new GroupCommit<{ jobId: string; input: StartRunInput }, Run>((requests) => this.startGroup(requests), 100);

  constructor(private readonly deps: RunServiceDeps) {}

  async get(id: string): Promise<Run> {
    const run = isUuid(id) ? await this.deps.prisma.run.findUnique({ where: { id } }) : null;
    if (!run) throw new NotFoundError('run', id);
    return run;
  }

  /** Run now (Kamihi's "Run job manually", InvenioRDM's "Configure and run"); works on disabled jobs too. */
  async start(jobId: string, input: StartRunInput): Promise<Run> {
    if (!isUuid(jobId)) throw new NotFoundError('job', jobId);
    return this.starts.add({ jobId, input });
  }

  private async startGroup(requests: Array<{ jobId: string; input: StartRunInput }>): Promise<Array<Run | ItemFailure>> {
    const jobIds = [...new Set(requests.map((request) => request.jobId))];
    const needSince = [...new Set(requests.filter((request) => request.input.since === undefined).map((request) => request.jobId))];
    // The jobs and their last successes are read at once: run now is on the trigger-latency path.
    const [jobs, sinces] = await Promise.all([
      // A lone start (the trigger-latency path) keeps the single-row statements: they are the quickest.
      jobIds.length === 1
        ? this.deps.prisma.job.findUnique({ where: { id: jobIds[0]! } }).then((job) => (job ? [job] : []))
        : this.deps.prisma.job.findMany({ where: { id: { in: jobIds } } }),
      lastSuccessStarts(this.deps.prisma, needSince),
    ]);
    const jobById = new Map(jobs.map((job) => [job.id, job]));
    const results: Array<Run | ItemFailure> = [];
    const rows: Array<{ index: number; job: Job; data: Prisma.RunCreateManyInput }> = [];
    requests.forEach(({ jobId, input }, index) => {
      try {
        const job = jobById.get(jobId);
        if (!job) throw new NotFoundError('job', jobId);
        const args = this.effectiveArgs(job, input.args);
        if (input.title && input.title.length > 200) {
          throw new ValidationError([{ field: 'title', message: 'must be at most 200 characters' }]);
        }
        const data: Prisma.RunCreateManyInput = {
          jobId: job.id,
          trigger: input.trigger,
          title: input.title?.trim() || null,
          args: args as Prisma.InputJsonObject,
          since: input.since !== undefined ? input.since : (sinces.get(jobId) ?? null),
          startedById: input.startedById ?? null,
          maxAttempts: this.maxAttempts(job),
        };
        rows.push({ index, job, data });
      } catch (error) {
        results[index] = new ItemFailure(error);
      }
    });
    const created = await eachAloneOnFailure(rows, async (group) => {
      if (group.length === 1) return [await this.deps.prisma.run.create({ data: group[0]!.data })];
      const runs = await this.deps.prisma.run.createManyAndReturn({ data: group.map((row) => row.data) });
      // One multi-row INSERT returns its rows in the order given; checked, as each caller is told its own run.
      if (runs.length !== group.length || runs.some((run, index) => run.jobId !== group[index]!.data.jobId)) {
        throw new Error('run insert returned rows out of order');
      }
      return runs;
    });
    // Dispatched in the same tick, the group's runs share Agenda entries (one per priority).
    await Promise.all(
      rows.map(async ({ index, job }, position) => {
        const run = created[position]!;
        if (run instanceof ItemFailure) {
          results[index] = run;
          return;
        }
        this.published(run);
        try {
          await this.deps.dispatcher.dispatch(run, { priority: job.priority });
          results[index] = run;
        } catch (error) {
          results[index] = new ItemFailure(error);
        }
      }),
    );
    return results;
  }

  /** Cancels a queued run at once; asks a running one to stop (its worker aborts the action's signal). */
  async cancel(id: string): Promise<Run> {
    const run = await this.get(id);
    if (!canCancel(run.status)) {
      throw new ConflictError(`run ${id} is ${run.status.toLowerCase().replace('_', ' ')}; only queued or running runs can be cancelled`);
    }
    const now = new Date();
    // Conditional updates: whatever the worker did meanwhile, exactly one transition wins.
    const queued = await this.deps.prisma.run.updateManyAndReturn({
      where: { id, status: 'QUEUED' },
      data: { status: 'CANCELLED', statusReason: 'cancelled before it started', finishedAt: now },
    });
    const running = queued.length > 0 ? [] : await this.deps.prisma.run.updateManyAndReturn({
      where: { id, status: 'RUNNING' },
      data: { status: 'CANCELLING', statusReason: 'cancel requested' },
    });
    const changed = queued[0] ?? running[0];
    if (!changed) return this.cancel(id);
    if (changed.status === 'CANCELLED') {
      await this.deps.prisma.run.updateMany({
        where: { parentRunId: id, status: 'QUEUED' },
        data: { status: 'CANCELLED', statusReason: 'parent run cancelled', finishedAt: now },
      });
    }
    this.published(changed);
    return changed;
  }

  /** Starts a finished, unsuccessful run again as a new run with the same args, title and since. */
  async retry(id: string, startedById?: string | null): Promise<Run> {
    const original = await this.get(id);
    if (original.parentRunId) throw new ConflictError('retry the parent run: per-user children are retried with it');
    if (!canRetry(original.status)) {
      throw new ConflictError(`run ${id} is ${original.status.toLowerCase()}; only failed, cancelled, timed out or interrupted runs can be retried`);
    }
    const job = await this.deps.prisma.job.findUniqueOrThrow({ where: { id: original.jobId } });
    const run = await this.deps.prisma.run.create({
      data: {
        jobId: original.jobId,
        trigger: 'RETRY',
        title: original.title,
        args: (original.args ?? {}) as Prisma.InputJsonObject,
        since: original.since,
        startedById: startedById ?? null,
        maxAttempts: this.maxAttempts(job),
      },
    });
    this.published(run);
    await this.deps.dispatcher.dispatch(run, { priority: job.priority });
    return run;
  }

  /** Job args overridden key by key by run-time args, then validated against the action's schema. */
  effectiveArgs(job: Job, overrides?: Record<string, unknown>): Record<string, unknown> {
    const action = this.deps.actions.get(job.action);
    if (!action) throw new ValidationError([{ field: 'action', message: `the job's action "${job.action}" is not loaded in this install` }]);
    const merged = { ...((job.args ?? {}) as Record<string, unknown>), ...(overrides ?? {}) };
    const checked = action.validateArgs(merged);
    if (!checked.ok) throw new ValidationError(prefixFields('args', checked.errors));
    return checked.args;
  }

  maxAttempts(job: Job): number {
    const retries = job.retries ?? this.deps.actions.get(job.action)?.defaults.retries ?? ENGINE_DEFAULTS.retries;
    return retries + 1;
  }

  private published(run: Run): void {
    this.deps.bus.publishRunChange({ runId: run.id, jobId: run.jobId, parentRunId: run.parentRunId, status: run.status });
  }
}

/** lastSuccessStart of several jobs in one statement, by job id (the since index answers each). */
async function lastSuccessStarts(prisma: PrismaClient, jobIds: string[]): Promise<Map<string, Date | null>> {
  if (jobIds.length === 0) return new Map();
  if (jobIds.length === 1) return new Map([[jobIds[0]!, await lastSuccessStart(prisma, jobIds[0]!)]]);
  const rows = await prisma.$queryRaw<Array<{ id: string; since: Date | null }>>`
    SELECT j.id::text AS id,
      (SELECT r.started_at FROM "runs" r
        WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
        ORDER BY r.started_at DESC LIMIT 1) AS since
    FROM unnest(${jobIds}::uuid[]) AS j(id)`;
  return new Map(rows.map((row) => [row.id, row.since]));
}

/** `since`: the start time of the job's last succeeded run (top-level), or null for the first. */
export async function lastSuccessStart(prisma: PrismaClient | Prisma.TransactionClient, jobId: string): Promise<Date | null> {
  const last = await prisma.run.findFirst({
    where: { jobId, parentRunId: null, status: 'SUCCEEDED' },
    orderBy: { startedAt: 'desc' },
    select: { startedAt: true },
  });
  return last?.startedAt ?? null;
}
