// Queued runs become Agenda jobs: Agenda's row locks share them among workers, its wake-ups start them fast.
// Runs dispatched at the same moment share one Agenda job (group commit): while one entry is being saved, the
// runs dispatched meanwhile wait and are saved together as the next entry. A lone run-now is saved at once (no
// added latency); under load Agenda's per-entry cost (insert, wake-up, lock, two state saves, delete) is paid once
// per group instead of once per run. Whoever executes the entry claims each run conditionally, so an entry run
// twice (expired lock) or a run queued in two entries still executes once.
import type { Agenda } from 'agenda';
import type { RunDispatcher } from '../services/runs.js';
import { GroupCommit } from '../lib/group-commit.js';

export const RUN_JOB = 'sundial.run';

/** One run an Agenda entry is for. */
export interface RunEntry {
  runId: string;
  /** The attempt this entry is for: a stale entry of an earlier attempt claims nothing. */
  attempt: number;
  /** The run's job, so the executor can read it while it claims the run (absent in entries saved by older versions). */
  jobId?: string;
}

/** An Agenda entry's data: a group of runs, or (entries saved by older versions) a single run. */
export type RunJobData = { runs: RunEntry[] } | RunEntry;

/** Runs per Agenda entry at most: several entries let several workers share a burst. */
export const RUNS_PER_ENTRY = 16;

export function runEntries(data: RunJobData): RunEntry[] {
  return 'runs' in data ? data.runs : [data];
}

/** The `data` filter (Agenda's queryJobs) matching entries that include a run, per backend. */
export function entryFilters(runId: string, backend: 'postgres' | 'mongodb'): Array<Record<string, unknown>> {
  // PostgreSQL matches `data @> filter` (an array contains the objects listed); MongoDB flattens the filter to
  // dot-notation keys, and "runs.runId" matches any element of the array.
  return [backend === 'postgres' ? { runs: [{ runId }] } : { 'runs.runId': runId }, { runId }];
}

export function createRunDispatcher(agenda: Agenda): RunDispatcher {
  async function save(entries: RunEntry[], priority: number | undefined, at: Date): Promise<void[]> {
    const job = agenda.create<RunJobData>(RUN_JOB, { runs: entries });
    if (priority) job.priority(priority);
    job.schedule(at);
    await job.save();
    return entries.map(() => undefined);
  }
  /** One group per priority: an entry has one. */
  const groups = new Map<number, GroupCommit<RunEntry>>();

  return {
    async dispatch(run, options = {}) {
      const entry: RunEntry = { runId: run.id, attempt: run.attempt, ...(run.jobId ? { jobId: run.jobId } : {}) };
      // Later runs (retry backoff, overlap waits) keep an entry of their own, due at their time.
      if (options.at && options.at.getTime() > Date.now()) {
        await save([entry], options.priority, options.at);
        return;
      }
      const priority = options.priority ?? 0;
      let group = groups.get(priority);
      if (!group) groups.set(priority, (group = new GroupCommit((entries) => save(entries, priority, new Date()), RUNS_PER_ENTRY)));
      await group.add(entry);
    },
  };
}
