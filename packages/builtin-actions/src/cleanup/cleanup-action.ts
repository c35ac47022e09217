// sundial.cleanup: deletes runs (and their log lines) that finished more than a retention period ago, in small
// statements with a pause between them, so the runs and log tables are never held for long and other work
// (workers writing logs, the API) keeps going while it runs.
import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, z, type ActionContext } from '@sundial/actions';
import { countRunsToDelete, deleteLogLines, deleteRuns, nextRunsToDelete, type SqlClient } from './sql.js';

export interface CleanupSettings {
  /** The app database. A function when the database opens after the actions load (the server's case). */
  database: SqlClient | (() => SqlClient);
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
  const database = () => (typeof settings.database === 'function' ? settings.database() : settings.database);

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
      const sql = database();
      const days = context.args.olderThanDays ?? settings.retentionDays;
      const cutoff = new Date(Date.now() - days * DAY_MS);
      const total = await countRunsToDelete(sql, cutoff);
      context.log.info(`deleting ${total} run(s) that finished before ${cutoff.toISOString()} (${days} days ago)`);
      context.progress(0, total);

      let runsDeleted = 0;
      let logLinesDeleted = 0;
      const pause = async () => {
        context.signal.throwIfAborted();
        if (pauseMs > 0) await sleep(pauseMs, undefined, { signal: context.signal });
      };
      for (;;) {
        context.signal.throwIfAborted();
        const runIds = await nextRunsToDelete(sql, cutoff, batchSize);
        if (runIds.length === 0) break;
        for (;;) {
          const lines = await deleteLogLines(sql, runIds, logLineBatchSize);
          logLinesDeleted += lines;
          if (lines < logLineBatchSize) break;
          await pause();
        }
        const deleted = await deleteRuns(sql, runIds);
        runsDeleted += deleted;
        context.log.debug(`deleted ${deleted} run(s)`, { runsDeleted, logLinesDeleted });
        // More runs may have come of age since the count; progress never goes past its total.
        context.progress(Math.min(runsDeleted, total), Math.max(total, runsDeleted));
        if (deleted === 0) break;
        await pause();
      }
      context.log.info(`deleted ${runsDeleted} run(s) and ${logLinesDeleted} log line(s)`);
      return { runsDeleted, logLinesDeleted, cutoff: cutoff.toISOString() };
    },
  });
}
