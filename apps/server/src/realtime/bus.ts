// Live updates. Events say "run X changed" (ids and status) and readers re-read what they show; only log lines
// carry their content, because a live log is the content. Log lines travel in batches (the lines a run stored in one
// write), so a run logging a thousand lines a second costs tens of events, not a thousand.
// Publishers and subscribers see one typed bus. Subscribers in this process get events at once; with a transport
// (realtime/postgres.ts: LISTEN/NOTIFY) events also reach the other processes on the same database, and theirs
// reach us, so an API process with jobs.enabled=false sees the runs its workers execute.
import { Repeater, SlidingBuffer } from 'graphql-yoga';
import type { LogLevel, RunStatus } from '../db/prisma.js';

export interface RunChange {
  runId: string;
  jobId: string;
  parentRunId: string | null;
  status: RunStatus;
}

export interface RunLogEvent {
  runId: string;
  sequence: number;
  time: Date;
  level: LogLevel;
  message: string;
  data: unknown;
  /** The OpenTelemetry trace of the attempt that wrote the line, when tracing is on. */
  traceId: string | null;
}

/** Consecutive lines of one run, stored together, ascending by sequence (never empty). */
export interface RunLogBatch {
  runId: string;
  lines: RunLogEvent[];
}

export interface JobChange {
  jobId: string;
  change: 'created' | 'updated' | 'deleted';
}

export type RealtimeTopics = {
  /** A run's status or counters changed. */
  run: [runId: string, payload: RunChange];
  /** A run wrote log lines (already stored). */
  runLog: [runId: string, payload: RunLogBatch];
  /** A run of this job changed (including new runs). */
  jobRuns: [jobId: string, payload: RunChange];
  /** The job's definition or state changed. */
  job: [jobId: string, payload: JobChange];
  /** Every run status change, for dashboards. */
  runsFeed: [payload: RunChange];
  /** Every job's definition or state change, for the jobs list. */
  jobsFeed: [payload: JobChange];
  /** Another process queued runs of these queues, or they became due (workers claim them: engine/execution.ts). */
  runsQueued: [payload: RunsQueued];
};

export interface RunsQueued {
  queues: string[];
}

/** What crosses process boundaries: one of the four things that happen. */
export type BusEvent =
  | { kind: 'run'; change: RunChange }
  | { kind: 'log'; batch: RunLogBatch }
  | { kind: 'job'; change: JobChange }
  | { kind: 'queued'; runs: RunsQueued };

/** Carries events to the other processes and brings theirs (never this process's own) back. */
export interface RealtimeTransport {
  readonly name: string;
  send(event: BusEvent): void;
  /** Registers the one receiver: the bus. */
  receive(handler: (event: BusEvent) => void): void;
  /**
   * Whether other processes' log lines should reach this one: only while it has a live-log listener. Log lines are
   * most of the bus's traffic, and a process decoding every other process's lines would make each run cost more the
   * more processes there are. Resolves once lines sent from then on arrive (or, with the connection down, once it is
   * asked for again when it reopens).
   */
  hearLogLines(on: boolean): Promise<void>;
  close(): Promise<void>;
}

export type RealtimeBus = ReturnType<typeof createRealtimeBus>;

type TopicName = keyof RealtimeTopics;
type PayloadOf<T extends TopicName> = RealtimeTopics[T] extends [...unknown[], infer P] ? P : never;
type IdOf<T extends TopicName> = RealtimeTopics[T] extends [string, unknown] ? [id: string] : [];

export function createRealtimeBus(transport?: RealtimeTransport) {
  // Listeners per "topic:id" ("runsFeed:" has no id). Plain sets: delivery is synchronous and in order.
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const emit = (key: string, payload: unknown): void => {
    const set = listeners.get(key);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (value: unknown) => void)(payload);
      } catch {
        // One broken subscriber must not keep the event from the others.
      }
    }
  };

  const deliver = (event: BusEvent): void => {
    switch (event.kind) {
      case 'run':
        emit(`run:${event.change.runId}`, event.change);
        emit(`jobRuns:${event.change.jobId}`, event.change);
        emit('runsFeed:', event.change);
        return;
      case 'log':
        emit(`runLog:${event.batch.runId}`, event.batch);
        return;
      case 'job':
        emit(`job:${event.change.jobId}`, event.change);
        emit('jobsFeed:', event.change);
        return;
      case 'queued':
        emit('runsQueued:', event.runs);
        return;
    }
  };
  const publish = (event: BusEvent): void => {
    deliver(event);
    transport?.send(event);
  };
  transport?.receive(deliver);
  // Run changes made by this process only. Each change is made (and published) by exactly one process, so a
  // listener here sees it once across the whole install: the place for side effects such as notifications.
  const localRunChangeListeners = new Set<(change: RunChange) => void>();
  /** Counts of log lines this process stored (metrics); like run changes, each line is stored by one process. */
  const localLogStoredListeners = new Set<(lines: number) => void>();
  /** Log lines announced by runs in this process and not yet stored, by run, ascending. */
  const unstored = new Map<string, RunLogEvent[]>();
  /** Live-log listeners in this process: other processes' lines are heard while there is one. */
  let logListeners = 0;
  let logLinesHeard: Promise<void> = Promise.resolve();
  const countLogListener = (change: 1 | -1): void => {
    logListeners += change;
    if (!transport) return;
    if (change === 1 && logListeners === 1) logLinesHeard = transport.hearLogLines(true);
    if (change === -1 && logListeners === 0) void transport.hearLogLines(false);
  };

  /** Calls `handler` for every event of the topic from now on (synchronously); returns the way to stop. */
  function listen<T extends TopicName>(topic: T, ...rest: [...IdOf<T>, handler: (payload: PayloadOf<T>) => void]): () => void {
    const handler = rest.pop() as (payload: PayloadOf<T>) => void;
    const key = `${topic}:${(rest[0] as string | undefined) ?? ''}`;
    let set = listeners.get(key);
    if (!set) listeners.set(key, (set = new Set()));
    set.add(handler);
    const countsForLogLines = topic === 'runLog';
    if (countsForLogLines) countLogListener(1);
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      set.delete(handler);
      if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
      if (countsForLogLines) countLogListener(-1);
    };
  }

  /** The topic's events as an async iterable; listening starts on the first `next()` (Repeater semantics). */
  function subscribe<T extends TopicName>(topic: T, ...id: IdOf<T>): Repeater<PayloadOf<T>> {
    return new Repeater<PayloadOf<T>>(async (push, stop) => {
      const unlisten = listen(topic, ...([...id, (payload: PayloadOf<T>) => void push(payload)] as [...IdOf<T>, (payload: PayloadOf<T>) => void]));
      await stop;
      unlisten();
    }, new SlidingBuffer(10_000));
  }

  return {
    listen,
    subscribe,
    /** "in-process" or the transport's name, for logs and health. */
    reach: transport?.name ?? 'in-process',
    /**
     * Resolves once log lines that other processes send from now on reach this process's `runLog` listeners: a live
     * log waits for it after it starts listening and before it reads the stored lines, so no line falls between.
     */
    logLinesHeard: (): Promise<void> => logLinesHeard,
    /** How many listeners are attached (tests check that closed subscriptions let go). */
    listenerCount: () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0),
    publishRunChange(change: RunChange) {
      publish({ kind: 'run', change });
      for (const listener of [...localRunChangeListeners]) {
        try {
          listener(change);
        } catch {
          // A failing side effect must not stop the publisher (the run's own code path).
        }
      }
    },
    /**
     * Tells the other processes (never this one: its dispatcher wakes its own worker, or hands the runs off) that
     * runs of these queues are waiting. Best effort like every event: a worker that misses it finds them at its poll.
     */
    announceQueuedRuns(queues: string[]) {
      if (queues.length > 0) transport?.send({ kind: 'queued', runs: { queues } });
    },
    /** Calls `handler` for every run change this process publishes (never other processes'); returns the way to stop. */
    onLocalRunChange(handler: (change: RunChange) => void): () => void {
      localRunChangeListeners.add(handler);
      return () => void localRunChangeListeners.delete(handler);
    },
    /** Lines of one run that were just stored, ascending; one event for all of them. */
    publishLogLines(batch: RunLogBatch) {
      if (batch.lines.length > 0) publish({ kind: 'log', batch });
    },
    /**
     * Lines a run in this process just wrote, before they are stored: this process's subscribers get them at once
     * (the store's round trip is not on the live log's path), and readers filling a gap find them here until
     * `logLinesSettled` says they are stored. Other processes get them only once stored.
     */
    announceLogLines(batch: RunLogBatch) {
      if (batch.lines.length === 0) return;
      let lines = unstored.get(batch.runId);
      if (!lines) unstored.set(batch.runId, (lines = []));
      lines.push(...batch.lines);
      deliver({ kind: 'log', batch });
    },
    /** Announced lines of a run, up to a sequence, were stored (`stored`), or could not be and are lost. */
    logLinesSettled(batch: RunLogBatch, stored: boolean) {
      const last = batch.lines.at(-1)?.sequence;
      const lines = unstored.get(batch.runId);
      if (last === undefined) return;
      if (lines) {
        const rest = lines.filter((line) => line.sequence > last);
        if (rest.length > 0) unstored.set(batch.runId, rest);
        else unstored.delete(batch.runId);
      }
      if (stored) {
        transport?.send({ kind: 'log', batch });
        for (const listener of [...localLogStoredListeners]) listener(batch.lines.length);
      }
    },
    /** Calls `handler` with the number of lines each time this process stores a run's log lines; returns the way to stop. */
    onLocalLogLinesStored(handler: (lines: number) => void): () => void {
      localLogStoredListeners.add(handler);
      return () => void localLogStoredListeners.delete(handler);
    },
    /** Lines of a run announced in this process and not yet stored, with sequence in (after, upTo], ascending. */
    unstoredLogLines(runId: string, after: number, upTo: number | null): RunLogEvent[] {
      return (unstored.get(runId) ?? []).filter((line) => line.sequence > after && (upTo === null || line.sequence <= upTo));
    },
    publishJobChange(change: JobChange) {
      publish({ kind: 'job', change });
    },
    async close(): Promise<void> {
      await transport?.close();
    },
  };
}
