// Queued runs become Agenda jobs: Agenda's row locks share them among workers, its wake-ups start them fast.
// A run due now that this process can start at once (a worker with a free slot) skips the queue: it is claimed
// and started here, which saves the entry's insert, wake-up, lock and state saves on the trigger-latency path.
// Runs dispatched at the same moment share one Agenda job (group commit): while one entry is being saved, the
// runs dispatched meanwhile wait and are saved together as the next entry. A lone run-now is saved at once (no
// added latency); under load Agenda's per-entry cost (insert, wake-up, lock, two state saves, delete) is paid once
// per group instead of once per run. Whoever executes the entry claims each run conditionally, so an entry run
// twice (expired lock) or a run queued in two entries still executes once. A busy worker places a run now among the
// live workers (engine/share.ts): one placed on another worker goes to the queue without waking this process.
import type { Agenda } from 'agenda';
import { DEFAULT_QUEUE, type RunDispatcher, type RunEntry } from '../engine/index.js';
import { GroupCommit } from '../lib/group-commit.js';
import type { SchedulerBackendName } from './agenda.js';
import type { HandOffs } from './handoff.js';

/** The Agenda job of the default queue's runs; another queue's are `sundial.run:<queue>` (runJobName). */
export const RUN_JOB = 'sundial.run';

/**
 * A queue's runs have an Agenda job name of their own, so a worker defines processors only for the queues it takes
 * (jobs.queues) and is never handed another queue's entries. The default queue keeps the plain name.
 */
export function runJobName(queue: string | undefined): string {
  return !queue || queue === DEFAULT_QUEUE ? RUN_JOB : `${RUN_JOB}:${queue}`;
}

/** An Agenda entry's data: a group of runs, or (entries saved by older versions) a single run. */
export type RunJobData = { runs: RunEntry[] } | RunEntry;

/** Runs per Agenda entry at most: several entries let several workers share a burst. */
export const RUNS_PER_ENTRY = 16;

export function runEntries(data: RunJobData): RunEntry[] {
  return 'runs' in data ? data.runs : [data];
}

/** The `data` filter (Agenda's queryJobs) matching entries that include a run, per backend. */
function entryFilters(runId: string, backend: SchedulerBackendName): Array<Record<string, unknown>> {
  // PostgreSQL matches `data @> filter` (an array contains the objects listed); MongoDB flattens the filter to
  // dot-notation keys, and "runs.runId" matches any element of the array.
  return [backend === 'postgres' ? { runs: [{ runId }] } : { 'runs.runId': runId }, { runId }];
}

/** Whether an Agenda entry (a group, or an older version's single-run entry) still holds the run. */
export async function hasQueueEntry(agenda: Agenda, backend: SchedulerBackendName, runId: string, queue: string): Promise<boolean> {
  for (const data of entryFilters(runId, backend)) {
    const { total } = await agenda.queryJobs({ name: runJobName(queue), data, limit: 1 });
    if (total > 0) return true;
  }
  return false;
}

/** Where the dispatcher starts runs itself when it can (the executor of a process with jobs.enabled). */
export interface LocalRunner {
  /** Starts what it can at once; returns the entries it did not take, and those it hands to other workers. */
  executeHere(entries: RunEntry[], options: { placed: boolean }): { rest: RunEntry[]; handedOff: RunEntry[] };
}

export interface SchedulerDispatcher extends RunDispatcher {
  /** From now on, runs due now start in this process when it has a free slot; the rest go to the queue. */
  runHere(runner: LocalRunner): void;
}

export function createRunDispatcher(agenda: Agenda, handOffs: HandOffs): SchedulerDispatcher {
  let local: LocalRunner | null = null;
  async function save(entries: RunEntry[], priority: number | undefined, at: Date): Promise<void> {
    const job = agenda.create<RunJobData>(runJobName(entries[0]?.queue), { runs: entries });
    if (priority) job.priority(priority);
    job.schedule(at);
    await job.save();
  }
  async function saveGroup(entries: RunEntry[], priority: number, queueOnly: boolean, placed: boolean): Promise<void[]> {
    // The local runner takes only runs of queues it takes and those it should (engine/share.ts); it hands back the others.
    const { rest, handedOff } = local && !queueOnly ? local.executeHere(entries, { placed }) : { rest: entries, handedOff: [] };
    await Promise.all([
      rest.length > 0 ? save(rest, priority, new Date()) : undefined,
      // Entries of one queue: the group is per queue.
      handedOff.length > 0 ? handOffs.save(() => save(handedOff, priority, new Date())) : undefined,
    ]);
    return entries.map(() => undefined);
  }
  /** One group per queue and priority (an entry has one of each) and per path: handed-back runs never start here again, placed runs start here when they can. */
  const groups = new Map<string, GroupCommit<RunEntry>>();

  return {
    runHere(runner) {
      local = runner;
    },
    async dispatch(run, options = {}) {
      const entry: RunEntry = {
        runId: run.id,
        attempt: run.attempt,
        ...(run.jobId ? { jobId: run.jobId } : {}),
        ...(run.queue && run.queue !== DEFAULT_QUEUE ? { queue: run.queue } : {}),
      };
      // Later runs (retry backoff, overlap waits) keep an entry of their own, due at their time.
      if (options.at && options.at.getTime() > Date.now()) {
        await save([entry], options.priority, options.at);
        return;
      }
      const priority = options.priority ?? 0;
      const queueOnly = options.queueOnly ?? false;
      const placed = options.placed ?? false;
      const key = `${entry.queue ?? DEFAULT_QUEUE}:${priority}:${queueOnly}:${placed}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new GroupCommit((entries) => saveGroup(entries, priority, queueOnly, placed), RUNS_PER_ENTRY)));
      await group.add(entry);
    },
  };
}
