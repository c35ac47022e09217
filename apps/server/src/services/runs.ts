// The rules for starting and stopping runs as users and integrators ask for them: run now (effective args, title,
// since, validated), cancel, retry. Every run is created, and every status changed, by the run engine (engine/).
import type { Job, PrismaClient, Run, RunTrigger } from '../db/prisma.js';
import type { SqlClient } from '../db/sql/client.js';
import { readJobsForStart, type JobForStart } from '../db/sql/jobs/read-for-start.js';
import type { NewRun } from '../engine/create.js';
import type { RunEngine, RunDispatcher } from '../engine/index.js';
import { publishRun } from '../engine/resources.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from './action-catalog.js';
import { ConflictError, NotFoundError, prefixFields, ValidationError } from './errors.js';
import { eachAloneOnFailure, GroupCommit, ItemFailure } from '../lib/group-commit.js';
import { canCancel, canRetry } from './run-status.js';
import { isUuid } from './ids.js';

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
  /** The pool with statements prepared once per connection (run now's hot statements). */
  statements: SqlClient;
  actions: ActionCatalog;
  dispatcher: RunDispatcher;
  bus: RealtimeBus;
  engine: Pick<RunEngine, 'creation' | 'cancelling'>;
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
    const jobById = await readJobsForStart(this.deps.statements, [...new Set(requests.map((request) => request.jobId))]);
    const results: Array<Run | ItemFailure> = [];
    const starts: Array<{ index: number; job: JobForStart; run: NewRun }> = [];
    requests.forEach(({ jobId, input }, index) => {
      try {
        const job = jobById.get(jobId);
        if (!job) throw new NotFoundError('job', jobId);
        const args = this.effectiveArgs(job, input.args);
        if (input.title && input.title.length > 200) {
          throw new ValidationError([{ field: 'title', message: 'must be at most 200 characters' }]);
        }
        starts.push({
          index,
          job,
          run: {
            jobId: job.id,
            trigger: input.trigger,
            title: input.title?.trim() || null,
            args,
            since: input.since !== undefined ? input.since : job.lastSuccessStart,
            startedById: input.startedById ?? null,
            maxAttempts: this.deps.engine.creation.maxAttempts(job),
          },
        });
      } catch (error) {
        results[index] = new ItemFailure(error);
      }
    });
    // One statement for the group (one bad row fails only its own caller).
    const created = await eachAloneOnFailure(starts, (group) => this.insert(group.map(({ run }) => run)));
    // Dispatched in the same tick, the group's runs share Agenda entries (one per priority).
    await Promise.all(
      starts.map(async ({ index, job }, position) => {
        const run = created[position]!;
        if (run instanceof ItemFailure) {
          results[index] = run;
          return;
        }
        publishRun(this.deps, run);
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

  /** Inserts runs without occurrence keys (every one is inserted); resolves with them in the order given. */
  private async insert(runs: NewRun[]): Promise<Run[]> {
    const created = await this.deps.engine.creation.insert(runs);
    return created.map((run) => {
      if (!run) throw new Error('a run was not inserted');
      return run;
    });
  }

  /** Cancels a queued run at once; asks a running one to stop (its worker aborts the action's signal). */
  async cancel(id: string): Promise<Run> {
    for (;;) {
      const run = await this.get(id);
      if (!canCancel(run.status)) {
        throw new ConflictError(`run ${id} is ${run.status.toLowerCase().replace('_', ' ')}; only queued or running runs can be cancelled`);
      }
      const changed = await this.deps.engine.cancelling.cancel(id);
      if (changed) return changed;
    }
  }

  /** Starts a finished, unsuccessful run again as a new run with the same args, title and since. */
  async retry(id: string, startedById?: string | null): Promise<Run> {
    const original = await this.get(id);
    if (original.parentRunId) throw new ConflictError('retry the parent run: per-user children are retried with it');
    if (!canRetry(original.status)) {
      throw new ConflictError(`run ${id} is ${original.status.toLowerCase()}; only failed, cancelled, timed out or interrupted runs can be retried`);
    }
    const job = await this.deps.prisma.job.findUniqueOrThrow({ where: { id: original.jobId } });
    const [run] = await this.insert([
      {
        jobId: original.jobId,
        trigger: 'RETRY',
        title: original.title,
        args: original.args ?? {},
        since: original.since,
        startedById: startedById ?? null,
        maxAttempts: this.deps.engine.creation.maxAttempts(job),
      },
    ]);
    publishRun(this.deps, run!);
    await this.deps.dispatcher.dispatch(run!, { priority: job.priority });
    return run!;
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
}
