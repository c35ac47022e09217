// The run queue is the runs table: a queued run is claimed by whichever worker has a free slot (engine/execution.ts).
// Dispatching a run due now starts it in this process when it can (a worker with a free slot: no round trip before
// the claim) and otherwise wakes the workers that take its queue: this process's own at once, the others over the
// realtime bus (PostgreSQL NOTIFY, one per turn of the event loop for every run queued in it). A busy worker places
// a run now among the live workers (engine/share.ts): one placed on another worker wakes the others, not this one.
// A run due later (retry backoff, an overlap wait) gets an Agenda timer: an entry due at that time whose handler
// wakes the workers. Wake-ups and timers only make a worker look sooner: each worker also looks at every poll
// (scheduler.process_every_ms), so a lost wake-up or timer (a crash between the run's write and its entry's) delays
// a run by at most one poll, and a run is claimed once whatever woke whom.
import type { Agenda } from 'agenda';
import { DEFAULT_QUEUE, type RunDispatcher, type RunEntry } from '../engine/index.js';
import { GroupCommit } from '../lib/group-commit.js';
import type { RealtimeBus } from '../realtime/bus.js';

/** The Agenda job of the default queue's run timers; another queue's are `sundial.run:<queue>` (runJobName). */
export const RUN_JOB = 'sundial.run';

/**
 * A queue's run timers have an Agenda job name of their own, so a worker defines processors only for the queues it
 * takes (jobs.queues) and a timer fires on a worker that takes its queue. The default queue keeps the plain name.
 */
export function runJobName(queue: string | undefined): string {
  return !queue || queue === DEFAULT_QUEUE ? RUN_JOB : `${RUN_JOB}:${queue}`;
}

/** An Agenda entry's data: the run a timer is for (entries saved by older versions: a group of runs, or one run). */
export type RunJobData = { runs: RunEntry[] } | RunEntry;

export function runEntries(data: RunJobData): RunEntry[] {
  return 'runs' in data ? data.runs : [data];
}

/** Where the dispatcher starts runs itself when it can (the executor of a process with jobs.enabled). */
export interface LocalRunner {
  /** Starts what it can at once; returns the entries it did not take, and those it hands to other workers. */
  executeHere(entries: RunEntry[], options: { placed: boolean }): { rest: RunEntry[]; handedOff: RunEntry[] };
  /** Runs of these queues may be waiting: claim them as slots are free. */
  wake(queues: readonly string[]): void;
}

export interface SchedulerDispatcher extends RunDispatcher {
  /** From now on, runs due now start in this process when it has a free slot, and wake-ups reach its worker. */
  runHere(runner: LocalRunner): void;
}

export function createRunDispatcher(agenda: Agenda, bus: RealtimeBus): SchedulerDispatcher {
  let local: LocalRunner | null = null;
  // The queues to announce to the other processes at the end of this turn of the event loop: one NOTIFY for a burst.
  const announce = new Set<string>();
  const announceSoon = (queues: Iterable<string>): void => {
    const first = announce.size === 0;
    for (const queue of queues) announce.add(queue);
    if (!first || announce.size === 0) return;
    setImmediate(() => {
      bus.announceQueuedRuns([...announce]);
      announce.clear();
    });
  };
  const queuesOf = (entries: RunEntry[]) => new Set(entries.map((entry) => entry.queue ?? DEFAULT_QUEUE));
  const wake = (queues: Iterable<string>, { here = true }: { here?: boolean } = {}): void => {
    const list = [...queues];
    if (here) local?.wake(list);
    announceSoon(list);
  };
  function startGroup(entries: RunEntry[], placed: boolean): Promise<void[]> {
    // The local runner takes only runs of queues it takes and those it should (engine/share.ts); it hands back the others.
    const { rest, handedOff } = local ? local.executeHere(entries, { placed }) : { rest: entries, handedOff: [] };
    if (rest.length > 0) wake(queuesOf(rest));
    if (handedOff.length > 0) wake(queuesOf(handedOff), { here: false });
    return Promise.resolve(entries.map(() => undefined));
  }
  /** Runs dispatched together (a loop, Promise.all) are started here by one claim; placed runs start here when they can. */
  const groups = { placed: new GroupCommit<RunEntry>((entries) => startGroup(entries, true)), free: new GroupCommit<RunEntry>((entries) => startGroup(entries, false)) };

  return {
    runHere(runner) {
      local = runner;
    },
    wake: (queues, options) => wake(queues, options),
    async dispatch(run, options = {}) {
      const entry: RunEntry = {
        runId: run.id,
        attempt: run.attempt,
        ...(run.jobId ? { jobId: run.jobId } : {}),
        ...(run.queue && run.queue !== DEFAULT_QUEUE ? { queue: run.queue } : {}),
      };
      if (options.at && options.at.getTime() > Date.now()) {
        const timer = agenda.create<RunJobData>(runJobName(entry.queue), { runs: [entry] });
        if (options.priority) timer.priority(options.priority);
        timer.schedule(options.at);
        await timer.save();
        return;
      }
      await (options.placed ? groups.placed : groups.free).add(entry);
    },
  };
}
