// sundial.cleanup: deletes runs (and their log lines) that finished more than a retention period ago, in small
// statements with a pause between them, so the runs and log tables are never held for long and other work
// (workers writing logs, the API) keeps going while it runs. Which runs go, and in what order, is the server's rule
// (context.sundial.runs): a top-level run that is over, finished before the cutoff, none of its children active.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, z, type ActionContext } from '@sundial/actions';

export interface CleanupSettings {
  /** Default of args.olderThanDays (builtin.cleanup.retention_days). */
  retentionDays: number;
  /** Runs deleted per statement. */
  batchSize?: number;
  /** Log lines deleted per statement. */
  logLineBatchSize?: number;
  /** Pause after each batch, in milliseconds. */
  pauseMs?: number;
}

export interface CleanupOutput {
  runsDeleted: number;
  logLinesDeleted: number;
  /** Runs that finished before this time were deleted. */
  cutoff: string;
}

const DAY_MS = 86_400_000;

export function createCleanupAction(settings: CleanupSettings) {
  const batchSize = settings.batchSize ?? 1000;
  const logLineBatchSize = settings.logLineBatchSize ?? 10_000;
  const pauseMs = settings.pauseMs ?? 100;

  const args = z.object({
    olderThanDays: z
      .number()
      .int()
      .min(1)
      .max(36_500)
      .optional()
      .describe(`Delete runs that finished more than this many days ago. Default: builtin.cleanup.retention_days (${settings.retentionDays}).`),
  });

  return defineAction({
    name: 'sundial.cleanup',
    description:
      'Deletes runs and their log lines that finished more than a retention period ago (builtin.cleanup.retention_days), ' +
      'in small batches. Runs still queued or running are never deleted.',
    args,
    defaults: { retries: 0 },
    async run(context: ActionContext<z.output<typeof args>>): Promise<CleanupOutput> {
      const runs = context.sundial.runs;
      const days = context.args.olderThanDays ?? settings.retentionDays;
      const cutoff = new Date(Date.now() - days * DAY_MS);
      const total = await runs.countFinishedBefore(cutoff);
      context.log.info(`deleting ${total} run(s) that finished before ${cutoff.toISOString()} (${days} days ago)`);
      context.progress(0, total);

      let runsDeleted = 0;
      let logLinesDeleted = 0;
      for (;;) {
        context.signal.throwIfAborted();
        const step = await runs.deleteFinishedBefore(cutoff, { runs: batchSize, logLines: logLineBatchSize });
        if (step.runs === 0 && step.logLines === 0) break;
        logLinesDeleted += step.logLines;
        if (step.runs > 0) {
          runsDeleted += step.runs;
          context.log.debug(`deleted ${step.runs} run(s)`, { runsDeleted, logLinesDeleted });
          // More runs may have come of age since the count; progress never goes past its total.
          context.progress(Math.min(runsDeleted, total), Math.max(total, runsDeleted));
        }
        context.signal.throwIfAborted();
        if (pauseMs > 0) await sleep(pauseMs, undefined, { signal: context.signal });
      }
      context.log.info(`deleted ${runsDeleted} run(s) and ${logLinesDeleted} log line(s)`);
      return { runsDeleted, logLinesDeleted, cutoff: cutoff.toISOString() };
    },
  });
}
