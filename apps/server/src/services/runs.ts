// The rules for runs: how one is started (effective args, since, attempts), cancelled or retried.
// Execution itself is the scheduler's; it reports back through RunService and the run-store functions.
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Job, Prisma, PrismaClient, Run, RunTrigger } from '../db/prisma.js';
import { runFromRow } from '../db/rows.js';
import type { RealtimeBus } from '../realtime/bus.js';
import { ENGINE_DEFAULTS, type ActionCatalog } from './action-catalog.js';
import { ConflictError, NotFoundError, prefixFields, ValidationError } from './errors.js';
import { eachAloneOnFailure, GroupCommit, ItemFailure } from '../lib/group-commit.js';
import { canCancel, canRetry } from './run-status.js';
import { isUuid } from './ids.js';

/** Hands a queued run to the scheduler to execute, now or at a time (retry backoff). */
export interface RunDispatcher {
  dispatch(run: Pick<Run, 'id' | 'attempt'> & Partial<Pick<Run, 'jobId'>>, options?: DispatchOptions): Promise<void>;
}

export interface DispatchOptions {
  /** Not before this time (retry backoff, overlap waits); now when absent. */
  at?: Date;
  priority?: number;
  /** Through the queue even if this process could start the run at once (a worker handing runs back). */
  queueOnly?: boolean;
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

/** The fields of a job that starting a run reads, and the start of its last succeeded run. */
type JobForStart = Pick<Job, 'id' | 'action' | 'args' | 'retries' | 'priority'> & { lastSuccessStart: Date | null };

/** A run as run now inserts it (args as JSON text); the other columns take their defaults (queued, attempt 1). */
interface NewRunRow {
  id: string;
  jobId: string;
  trigger: RunTrigger;
  title: string | null;
  args: string;
  since: Date | null;
  startedById: string | null;
  maxAttempts: number;
}

export interface RunServiceDeps {
  prisma: PrismaClient;
  /** The pool Prisma runs on, for run now's statements in plain SQL. */
  pool: pg.Pool;
  actions: ActionCatalog;
  dispatcher: RunDispatcher;
  bus: RealtimeBus;
}


export class RunService {
  // Run now from many callers at once (API dispatch, bursts of clicks) shares statements: concurrent starts are
  // served as a group — their jobs and last successes read in one statement, their runs inserted in one, and
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
    const jobById = await this.readForStart([...new Set(requests.map((request) => request.jobId))]);
    const results: Array<Run | ItemFailure> = [];
    const rows: Array<{ index: number; job: JobForStart; row: NewRunRow }> = [];
    requests.forEach(({ jobId, input }, index) => {
      try {
        const job = jobById.get(jobId);
        if (!job) throw new NotFoundError('job', jobId);
        const args = this.effectiveArgs(job, input.args);
        if (input.title && input.title.length > 200) {
          throw new ValidationError([{ field: 'title', message: 'must be at most 200 characters' }]);
        }
        rows.push({
          index,
          job,
          row: {
            id: uuidv7(),
            jobId: job.id,
            trigger: input.trigger,
            title: input.title?.trim() || null,
            args: JSON.stringify(args),
            since: input.since !== undefined ? input.since : job.lastSuccessStart,
            startedById: input.startedById ?? null,
            maxAttempts: this.maxAttempts(job),
          },
        });
      } catch (error) {
        results[index] = new ItemFailure(error);
      }
    });
    const created = await eachAloneOnFailure(rows, (group) => this.insertRuns(group.map(({ row }) => row)));
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

  /**
   * What starting runs of these jobs needs, with each job's last success, in one statement. Plain SQL, as the
   * insert below: run now is on the trigger-latency path, and Prisma's per-statement cost was half of it.
   */
  private async readForStart(jobIds: string[]): Promise<Map<string, JobForStart>> {
    const { rows } = await this.deps.pool.query<{ id: string; action: string; args: Prisma.JsonValue; retries: number | null; priority: number; since: Date | null }>(
      `SELECT j.id, j.action, j.args, j.retries, j.priority,
         (SELECT r.started_at FROM "runs" r
           WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = 'SUCCEEDED'
           ORDER BY r.started_at DESC LIMIT 1) AS since
       FROM "jobs" j WHERE j.id = ANY($1::uuid[])`,
      [jobIds],
    );
    return new Map(rows.map(({ since, ...job }) => [job.id, { ...job, lastSuccessStart: since }]));
  }

  /** Inserts queued runs in one statement; resolves with them in the order given. */
  private async insertRuns(rows: NewRunRow[]): Promise<Run[]> {
    const column = <K extends keyof NewRunRow>(key: K) => rows.map((row) => row[key]);
    const { rows: inserted } = await this.deps.pool.query<Record<string, unknown> & { id: string }>(
      `INSERT INTO "runs" (id, job_id, trigger, title, args, since, started_by_id, max_attempts)
       SELECT v.id, v.job_id, v.trigger::"RunTrigger", v.title, v.args::jsonb, v.since, v.started_by_id, v.max_attempts
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[], $8::int[])
         AS v(id, job_id, trigger, title, args, since, started_by_id, max_attempts)
       RETURNING *`,
      [column('id'), column('jobId'), column('trigger'), column('title'), column('args'), column('since'), column('startedById'), column('maxAttempts')],
    );
    const byId = new Map(inserted.map((row) => [row.id, runFromRow(row)]));
    return rows.map((row) => {
      const run = byId.get(row.id);
      if (!run) throw new Error(`run ${row.id} was not inserted`);
      return run;
    });
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
  effectiveArgs(job: Pick<Job, 'action' | 'args'>, overrides?: Record<string, unknown>): Record<string, unknown> {
    const action = this.deps.actions.get(job.action);
    if (!action) throw new ValidationError([{ field: 'action', message: `the job's action "${job.action}" is not loaded in this install` }]);
    const merged = { ...((job.args ?? {}) as Record<string, unknown>), ...(overrides ?? {}) };
    const checked = action.validateArgs(merged);
    if (!checked.ok) throw new ValidationError(prefixFields('args', checked.errors));
    return checked.args;
  }

  maxAttempts(job: Pick<Job, 'action' | 'retries'>): number {
    const retries = job.retries ?? this.deps.actions.get(job.action)?.defaults.retries ?? ENGINE_DEFAULTS.retries;
    return retries + 1;
  }

  private published(run: Run): void {
    this.deps.bus.publishRunChange({ runId: run.id, jobId: run.jobId, parentRunId: run.parentRunId, status: run.status });
  }
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
