// Queued runs become Agenda jobs: Agenda's row locks share them among workers, its wake-ups start them fast.
import type { Agenda } from 'agenda';
import type { RunDispatcher } from '../services/runs.js';

export const RUN_JOB = 'sundial.run';

export interface RunJobData {
  runId: string;
  /** The attempt this Agenda job is for: a stale Agenda job of an earlier attempt claims nothing. */
  attempt: number;
  /** The run's job, so the executor can read it while it claims the run (absent in jobs saved by older versions). */
  jobId?: string;
}

export function createRunDispatcher(agenda: Agenda): RunDispatcher {
  return {
    async dispatch(run, options = {}) {
      const data: RunJobData = { runId: run.id, attempt: run.attempt, ...(run.jobId ? { jobId: run.jobId } : {}) };
      const job = agenda.create(RUN_JOB, data);
      if (options.priority) job.priority(options.priority);
      job.schedule(options.at ?? new Date());
      await job.save();
    },
  };
}
