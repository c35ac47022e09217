// Subscriptions as streams over the bus. Two shapes:
// - change streams ("run X changed"): coalesced per key while the client is busy, so a slow client re-reads a run
//   once instead of once per event, and memory stays bounded by the number of distinct keys;
// - the live log: stored lines first, then live ones, with no gap and no duplicate.
import { Repeater } from 'graphql-yoga';
import type { RunLogEvent } from './bus.js';

/**
 * Events from `listen`, coalesced per key: the newest event of a key replaces an older one the client has not
 * taken yet. `initial` events are queued first (e.g. "the run as it is now").
 */
export function coalescedStream<T>(
  listen: (handler: (payload: T) => void) => () => void,
  keyOf: (payload: T) => string,
  initial: T[] = [],
): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const pending = new Map<string, T>();
    let draining = false;
    const drain = async (): Promise<void> => {
      if (draining) return;
      draining = true;
      try {
        while (pending.size > 0) {
          const [key, value] = pending.entries().next().value as [string, T];
          pending.delete(key);
          // Resolves when the client took the value: what arrives meanwhile is coalesced.
          await push(value);
        }
      } finally {
        draining = false;
      }
    };
    const add = (payload: T): void => {
      pending.set(keyOf(payload), payload);
      void drain();
    };
    const unlisten = listen(add);
    for (const item of initial) add(item);
    await stop;
    unlisten();
  });
}

export type LogLine = Omit<RunLogEvent, 'runId'> & { runId: string };

/** Stored lines of a run with sequence in (after, upTo], ascending, at most `limit`. */
export type ReadLogLines = (after: number, upTo: number | null, limit: number) => Promise<LogLine[]>;

export const LOG_STREAM_LIMITS = {
  /** Stored lines read per query while replaying or filling a gap. */
  page: 500,
  /** Live lines held for a slow client; beyond it the client is served from the database when it catches up. */
  backlog: 5_000,
} as const;

/**
 * A run's log from `afterSequence` on: the stored lines, then live ones. The bus listener is attached before
 * anything is read, and every line passes one ordered queue that drops what was already sent (sequence ≤ last) and
 * fills what is missing from the database (a line published before we listened, one that arrived out of order from
 * another process, or lines skipped while the client was too slow).
 */
export function runLogStream(
  listen: (handler: (line: RunLogEvent) => void) => () => void,
  read: ReadLogLines,
  afterSequence: number,
): Repeater<LogLine> {
  return new Repeater<LogLine>(async (push, stop) => {
    let last = afterSequence;
    let stopped = false;
    let queue: Promise<void> = Promise.resolve();
    let queued = 0;
    let highestSkipped = 0;
    let catchUpQueued = false;

    const send = async (line: LogLine): Promise<void> => {
      if (stopped || line.sequence <= last) return;
      last = line.sequence;
      await push(line);
    };
    /** Sends every stored line after `last` up to `upTo` (null: all there is). */
    const fill = async (upTo: number | null): Promise<void> => {
      while (!stopped) {
        const lines = await read(last, upTo, LOG_STREAM_LIMITS.page);
        for (const line of lines) await send(line);
        if (lines.length < LOG_STREAM_LIMITS.page) return;
      }
    };
    const enqueue = (task: () => Promise<void>): void => {
      queued += 1;
      queue = queue.then(task).catch(() => {}).finally(() => {
        queued -= 1;
      });
    };

    const unlisten = listen((line) => {
      if (queued >= LOG_STREAM_LIMITS.backlog) {
        // Too slow a client: stop holding lines in memory; they are stored, so read them back later.
        highestSkipped = Math.max(highestSkipped, line.sequence);
        if (!catchUpQueued) {
          catchUpQueued = true;
          enqueue(async () => {
            catchUpQueued = false;
            await fill(highestSkipped);
          });
        }
        return;
      }
      enqueue(async () => {
        if (line.sequence > last + 1) await fill(line.sequence - 1);
        await send(line);
      });
    });
    enqueue(() => fill(null));

    await stop;
    stopped = true;
    unlisten();
  });
}
