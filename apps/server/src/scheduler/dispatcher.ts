// Queued runs become Agenda jobs: Agenda's row locks share them among workers, its wake-ups start them fast.
import type { Agenda } from 'agenda';
import type { Run } from '../db/prisma.js';
import type { RunDispatcher } from '../services/runs.js';

export const RUN_JOB = 'sundial.run';

export interface RunJobData {
  runId: string;
  /** The attempt this Agenda job is for: a stale Agenda job of an earlier attempt claims nothing. */
  attempt: number;
}

export function createRunDispatcher(agenda: Agenda): RunDispatcher {
  return {
    async dispatch(run: Pick<Run, 'id' | 'attempt'>, options = {}) {
      const data: RunJobData = { runId: run.id, attempt: run.attempt };
      const job = agenda.create(RUN_JOB, data);
      if (options.priority) job.priority(options.priority);
      job.schedule(options.at ?? new Date());
      await job.save();
    },
  };
}
