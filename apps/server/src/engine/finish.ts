// How an attempt ends: the retry decision (engine/transitions.ts) puts the same run back in the queue with
// attempt + 1 after a backoff; otherwise its ending is recorded. Runs ending at the same moment are recorded in one
// statement (group commit: a lone run is written at once, runs ending while a write is in flight go together in
// the next), each change still published. The statement that records an ending also writes the run's notification
// outbox rows and the follow-up runs its ending starts (chains.ts).
import type { Run } from '../db/prisma.js';
import type { ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { finishRuns, type FinishedRun, type RunEnding } from '../db/sql/runs/finish.js';
import { GroupCommit } from '../lib/group-commit.js';
import { ENGINE_DEFAULTS, type CatalogAction } from './actions.js';
import { followUpSettings, handOverFollowUps } from './chains.js';
import { retryDelayMs, type Outcome } from './outcome.js';
import { publishRun, type EngineResources } from './resources.js';
import { FINISHABLE_STATUSES, shouldRetry } from './transitions.js';

/** The backoff before attempt + 1: the job's base delay, else its action's, else the engine's, doubled per attempt. */
export function retryBackoffMs(job: Pick<ExecutableJob, 'retryBackoffMs'>, action: CatalogAction | undefined, attempt: number): number {
  return retryDelayMs(job.retryBackoffMs ?? action?.defaults.retryBackoffMs ?? ENGINE_DEFAULTS.retryBackoffMs, attempt);
}

export function describeEnding(outcome: Outcome): string {
  return outcome.status === 'TIMED_OUT' ? 'timed out' : 'failed';
}

export class Finishing {
  private readonly writes = new GroupCommit<RunEnding, FinishedRun | null>((endings) => this.write(endings));

  constructor(private readonly resources: Pick<EngineResources, 'prisma' | 'sql' | 'bus' | 'dispatcher' | 'notificationsQueued' | 'actions' | 'logger'>) {}

  /**
   * Records an attempt's outcome. `retry` (the job and its action) allows another attempt when the retry rule says
   * so; without it the ending is final (the executor itself failed, so trying again would fail the same way).
   */
  async finish(run: Run, outcome: Outcome, logSequence: number, retry?: { job: ExecutableJob; action: CatalogAction }): Promise<void> {
    if (retry && shouldRetry(outcome, run)) {
      const at = new Date(Date.now() + retryBackoffMs(retry.job, retry.action, run.attempt));
      const [queued] = await this.resources.prisma.run.updateManyAndReturn({
        where: { id: run.id, status: 'RUNNING' },
        data: {
          status: 'QUEUED',
          attempt: run.attempt + 1,
          statusReason: `attempt ${run.attempt} ${describeEnding(outcome)}: ${outcome.errorMessage}; attempt ${run.attempt + 1} of ${run.maxAttempts} at ${at.toISOString()}`,
          errorMessage: outcome.errorMessage ?? null,
          errorStack: outcome.errorStack ?? null,
          logSequence,
          workerId: null,
          notBefore: at,
        },
      });
      if (queued) {
        publishRun(this.resources, queued);
        await this.resources.dispatcher.dispatch(queued, { at, priority: retry.job.priority });
        return;
      }
    }
    const finished = await this.writes.add({
      id: run.id,
      status: outcome.status,
      finishedAt: new Date(),
      errorMessage: outcome.errorMessage ?? null,
      errorStack: outcome.errorStack ?? null,
      output: outcome.output === undefined || outcome.output === null ? null : JSON.stringify(outcome.output),
      logSequence,
    });
    if (finished) publishRun(this.resources, finished);
  }

  private async write(endings: RunEnding[]): Promise<Array<FinishedRun | null>> {
    const { finished, notifications, followUps } = await finishRuns(this.resources.sql, endings, FINISHABLE_STATUSES, followUpSettings(this.resources.actions));
    if (notifications > 0) this.resources.notificationsQueued(notifications);
    if (followUps.length > 0) await handOverFollowUps(this.resources, followUps);
    const byId = new Map(finished.map((run) => [run.id, run]));
    return endings.map((ending) => byId.get(ending.id) ?? null);
  }
}
