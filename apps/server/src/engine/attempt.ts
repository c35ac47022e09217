// One attempt of one run: the action called once with a fresh context (args checked again against the action's
// current schema, user, users, since, log, progress, a signal that a timeout or a cancel aborts). Resolves with
// what happened; never rejects. An action that ignores its signal is abandoned (raceAbort).
import { context as traceContext, SpanStatusCode, trace } from '@opentelemetry/api';
import { createActionContext, type ActionLogLevel } from '@sundial/actions';
import type { Run } from '../db/prisma.js';
import type { ExecutableJob } from '../db/sql/jobs/read-executable.js';
import { ENGINE_DEFAULTS, type ActionUser, type CatalogAction } from './actions.js';
import type { Heartbeat } from './heartbeat.js';
import { failureOutcome, raceAbort, successOutcome, TimeoutReason, type Outcome } from './outcome.js';
import type { EngineResources } from './resources.js';
import type { RunLog } from './run-log.js';
import { tracer } from '../telemetry/tracing.js';

const LEVELS: Record<ActionLogLevel, 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

export interface AttemptParts {
  user: ActionUser | null;
  users: ActionUser[];
  controller: AbortController;
  log: RunLog;
  /** The run's args as checked against the action's schema when the run started (defaults applied). */
  args: Record<string, unknown>;
}

/**
 * The run's stored args checked against the action's schema as it is now (it may have changed since the run was
 * made): the args to call it with, or an ending that fails the run at once, without retry, naming the field.
 */
export function checkArgs(run: Pick<Run, 'args'>, action: CatalogAction): { args: Record<string, unknown> } | { ending: Outcome } {
  const checked = action.validateArgs(run.args ?? {});
  if (checked.ok) return { args: checked.args };
  const problems = checked.errors.map((error) => `${error.field ? `args.${error.field}` : 'args'}: ${error.message}`).join('; ');
  return {
    ending: {
      status: 'FAILED',
      permanent: true,
      errorMessage: `the run's args no longer fit the action "${action.name}": ${problems}`,
    },
  };
}

export class AttemptRunner {
  constructor(
    private readonly resources: Pick<EngineResources, 'prisma' | 'sundial'>,
    private readonly heartbeat: Heartbeat,
  ) {}

  async run(run: Run, job: ExecutableJob, action: CatalogAction, { user, users, controller, log, args }: AttemptParts): Promise<Outcome> {
    const timeoutMs = job.timeoutMs ?? action.defaults.timeoutMs ?? ENGINE_DEFAULTS.timeoutMs;
    const timer = setTimeout(() => controller.abort(new TimeoutReason(timeoutMs)), timeoutMs);
    this.heartbeat.executing(run.id, controller);
    const progress = this.progressWriter(run.id);
    const context = createActionContext({
      args,
      user,
      users,
      since: run.since,
      signal: controller.signal,
      run: { id: run.id, jobId: run.jobId, parentRunId: run.parentRunId, attempt: run.attempt, trigger: run.trigger, scheduledFor: run.scheduledFor },
      sundial: this.resources.sundial,
      writeLog: (line) => log.write(LEVELS[line.level], line.message, line.data),
      writeProgress: progress.write,
    });
    // The attempt's span: the action runs inside it, so its statements and http.request calls are its children, and
    // its log lines carry the trace id.
    const span = tracer().startSpan(`run ${action.name}`, {
      attributes: {
        'sundial.run.id': run.id,
        'sundial.job.id': run.jobId,
        'sundial.action': action.name,
        'sundial.run.attempt': run.attempt,
        'sundial.run.trigger': run.trigger,
      },
    });
    if (span.isRecording()) log.traceId = span.spanContext().traceId;
    let outcome: Outcome | undefined;
    try {
      const value = await traceContext.with(trace.setSpan(traceContext.active(), span), () =>
        raceAbort(Promise.resolve().then(() => action.run(context)), controller.signal),
      );
      outcome = successOutcome(value);
      return outcome;
    } catch (error) {
      outcome = failureOutcome(error, controller.signal);
      return outcome;
    } finally {
      clearTimeout(timer);
      this.heartbeat.done(run.id);
      await Promise.all([log.flush(), progress.settled()]);
      if (outcome) {
        span.setAttribute('sundial.run.status', outcome.status);
        if (outcome.status !== 'SUCCEEDED') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.errorMessage ?? outcome.status });
      }
      span.end();
    }
  }

  /** Progress: the latest value wins and at most one write is in flight, whatever the action's pace. */
  private progressWriter(runId: string) {
    let latest: { done: number; total: number } | null = null;
    let writing: Promise<void> | null = null;
    const drain = async () => {
      while (latest) {
        const { done, total } = latest;
        latest = null;
        await this.resources.prisma.run.update({ where: { id: runId }, data: { progressDone: done, progressTotal: total } }).catch(() => {});
      }
      writing = null;
    };
    return {
      write: (done: number, total: number) => {
        latest = { done, total };
        writing ??= drain();
      },
      settled: () => writing,
    };
  }
}
