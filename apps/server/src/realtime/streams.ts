// Subscriptions as streams over the bus. Two shapes:
// - change streams ("run X changed"): coalesced per key while the client is busy, so a slow client re-reads a run
//   once instead of once per event, and memory stays bounded by the number of distinct keys;
// - the live log: stored lines first, then live ones, with no gap and no duplicate, in batches.
import { Repeater } from 'graphql-yoga';
import type { RunLogBatch, RunLogEvent } from './bus.js';

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

export type LogLine = RunLogEvent;

/** Stored lines of a run with sequence in (after, upTo], ascending, at most `limit`. */
export type ReadLogLines = (after: number, upTo: number | null, limit: number) => Promise<LogLine[]>;

/**
 * A reader of stored lines that also returns the lines a run in this process announced and has not stored yet
 * (RealtimeBus.unstoredLogLines): a subscriber that joins, or fills a gap, while a write is in flight still gets
 * every line.
 */
export function withUnstoredLines(read: ReadLogLines, unstored: (after: number, upTo: number | null) => LogLine[]): ReadLogLines {
  return async (after, upTo, limit) => {
    // Looked at before the database: a line stored after this look is in what the database returns.
    const pending = unstored(after, upTo);
    const stored = await read(after, upTo, limit);
    if (pending.length === 0) return stored;
    const bySequence = new Map(stored.map((line) => [line.sequence, line]));
    for (const line of pending) if (!bySequence.has(line.sequence)) bySequence.set(line.sequence, line);
    return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence).slice(0, limit);
  };
}

export const LOG_STREAM_LIMITS = {
  /** Stored lines read per query while replaying or filling a gap, and the most lines one batch carries. */
  page: 1000,
  /** Live lines held for a slow client; beyond it the client is served from the database when it catches up. */
  backlog: 5_000,
} as const;

/** Merged runs of bus batches, so that subscribers as far behind as each other get the same array. */
const merged = new WeakMap<LogLine[], WeakMap<LogLine[], LogLine[]>>();

function mergeShared(batches: LogLine[][]): LogLine[] {
  if (batches.length === 1) return batches[0]!;
  const first = batches[0]!;
  const last = batches[batches.length - 1]!;
  let byLast = merged.get(first);
  if (!byLast) merged.set(first, (byLast = new WeakMap()));
  let lines = byLast.get(last);
  if (!lines) byLast.set(last, (lines = batches.flat()));
  return lines;
}

/** Whether the batches continue `last` without gap or overlap. */
function continues(batches: LogLine[][], last: number): boolean {
  let expected = last + 1;
  for (const batch of batches) {
    for (const line of batch) {
      if (line.sequence !== expected) return false;
      expected += 1;
    }
  }
  return true;
}

/**
 * A run's log from `afterSequence` on, as batches of lines: the stored lines (a page per batch), then live ones.
 * Each batch is everything that arrived while the client took the previous one, so a client gets one event per
 * write of the run while it keeps up and fewer, larger ones when it does not.
 * A client in step gets the very arrays the bus delivered (or one merge of them shared with clients as far behind),
 * so that subscribers of one run can share an event's execution (graphql/plugins/shared-events.ts).
 * The bus listener is attached, and other processes' lines heard (`heard`: RealtimeBus.logLinesHeard), before
 * anything is read, and lines pass one ordered loop that drops what was already sent (sequence ≤ last) and fills
 * what is missing from the database (lines published before we listened, lines that came out of order from another
 * process, or lines let go while the client was too slow).
 */
export function runLogStream(
  listen: (handler: (batch: RunLogBatch) => void) => () => void,
  read: ReadLogLines,
  afterSequence: number,
  heard?: () => Promise<void>,
): AsyncIterableIterator<LogLine[]> {
  return pushStream<LogLine[]>(async (push, stop) => {
    let last = afterSequence;
    let stopped = false;
    let held: LogLine[][] = [];
    let heldLines = 0;
    /** The highest sequence let go for being over the backlog: read back from the database. */
    let letGoUpTo = 0;
    let wake: (() => void) | null = null;

    const unlisten = listen((batch) => {
      if (heldLines + batch.lines.length > LOG_STREAM_LIMITS.backlog) {
        // Too slow a client: stop holding lines in memory; they are stored, so read them back later.
        letGoUpTo = Math.max(letGoUpTo, batch.lines[batch.lines.length - 1]!.sequence);
      } else {
        held.push(batch.lines);
        heldLines += batch.lines.length;
      }
      wake?.();
    });
    void stop.then(() => {
      stopped = true;
      wake?.();
    });

    /** Sends the batch and waits until the client took it; false once the client is gone. */
    const send = async (lines: LogLine[]): Promise<boolean> => {
      if (stopped || lines.length === 0) return !stopped;
      last = lines[lines.length - 1]!.sequence;
      await push(lines);
      return !stopped;
    };
    /** Sends the stored lines after `last` up to `upTo` (null: all there is), a page per batch. */
    const sendStored = async (upTo: number | null): Promise<void> => {
      while (!stopped) {
        const lines = await read(last, upTo, LOG_STREAM_LIMITS.page);
        await send(lines);
        if (lines.length < LOG_STREAM_LIMITS.page) return;
      }
    };
    /** Lines as they may come: out of order, repeated, with gaps. Sends them in order, gaps filled. */
    const sendInOrder = async (incoming: LogLine[]): Promise<void> => {
      incoming.sort((a, b) => a.sequence - b.sequence);
      const batch: LogLine[] = [];
      let at = last;
      for (const line of incoming) {
        if (line.sequence <= at) continue;
        if (line.sequence > at + 1) {
          // A gap: the lines in it are stored, or announced in this process and held by the bus until they are.
          if (!(await send(batch.splice(0)))) return;
          await sendStored(line.sequence - 1);
          at = last;
          if (line.sequence <= at) continue;
        }
        batch.push(line);
        at = line.sequence;
        if (batch.length >= LOG_STREAM_LIMITS.page && !(await send(batch.splice(0)))) return;
      }
      await send(batch);
    };

    try {
      if (heard) await heard();
      await sendStored(null);
      while (!stopped) {
        if (held.length === 0 && letGoUpTo <= last) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        const incoming = held;
        held = [];
        heldLines = 0;
        if (incoming.length > 0 && continues(incoming, last)) await send(mergeShared(incoming));
        else await sendInOrder(incoming.flat());
        if (letGoUpTo > last) await sendStored(letGoUpTo);
      }
    } finally {
      // Also when the database failed while reading: the stream ends with the error, and the client resumes from
      // its last sequence.
      stopped = true;
      unlisten();
    }
  });
}

/** Batches as single items, in order (for clients that take one line per event). */
export function oneByOne<T>(batches: AsyncIterableIterator<T[]>): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    let stopped = false;
    void stop.then(() => {
      stopped = true;
      void batches.return?.();
    });
    for (;;) {
      const next = await batches.next();
      if (next.done || stopped) break;
      for (const item of next.value) {
        await push(item);
        if (stopped) break;
      }
    }
    await batches.return?.();
  });
}

/**
 * A stream its producer pushes into, one value at a time: Repeater's executor shape — `push` resolves once a
 * consumer took the value, `stop` once the consumer returned — without its buffering. A live log pushes once per
 * event per subscriber, and a Repeater push costs several promises where this costs one (measured: a Repeater
 * here was the largest single cost of a 200-subscriber live log after the socket writes).
 * The producer starts on the first `next()`; an error it throws rejects the pending or next `next()`.
 */
export function pushStream<T>(executor: (push: (value: T) => Promise<void>, stop: Promise<void>) => Promise<void>): AsyncIterableIterator<T> {
  let started = false;
  let ended = false;
  let failure: { error: unknown } | null = null;
  /** A value pushed and not yet taken (at most one: the producer awaits each push). */
  let offered: { value: T; taken: () => void } | null = null;
  /** A consumer waiting for a value. */
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  let stopNow!: () => void;
  const stop = new Promise<void>((resolve) => (stopNow = resolve));

  const push = (value: T): Promise<void> => {
    if (ended) return Promise.resolve();
    if (waiting) {
      const consumer = waiting;
      waiting = null;
      consumer.resolve({ value, done: false });
      return Promise.resolve();
    }
    return new Promise<void>((taken) => (offered = { value, taken }));
  };
  /** No more values: a waiting consumer is told so, and a producer blocked on a push is let go. */
  const end = (): void => {
    ended = true;
    stopNow();
    offered?.taken();
    offered = null;
    waiting?.resolve({ value: undefined, done: true });
    waiting = null;
  };
  /** The producer's run; `return` waits for it, so a stream that was returned has let go of what it held. */
  let execution: Promise<void> = Promise.resolve();
  const start = (): void => {
    started = true;
    execution = executor(push, stop).then(end, (error: unknown) => {
      const consumer = waiting;
      waiting = null;
      if (consumer) consumer.reject(error);
      else failure = { error };
      end();
    });
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (!started) start();
      if (offered) {
        const { value, taken } = offered;
        offered = null;
        taken();
        return Promise.resolve({ value, done: false });
      }
      if (failure) {
        const { error } = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<T>>((resolve, reject) => (waiting = { resolve, reject }));
    },
    async return() {
      end();
      await execution;
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      end();
      await execution;
      throw error;
    },
  };
}
