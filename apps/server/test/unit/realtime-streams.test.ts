// The live log's stream (realtime/streams.ts runLogStream) on the real in-process bus, with a run's stored lines
// kept in an array that plays the database: stored lines first, then live ones in batches; lines that arrive out of
// order, twice, or before the stream listened are put right (no gap, no duplicate); a client too slow for the
// backlog is served from the store; closing lets go of the bus. The store is read only once other processes' lines
// are heard, and the bus asks its transport for them while it has a live-log listener and no longer.
import { describe, expect, it } from 'vitest';
import { createRealtimeBus, type RealtimeTransport, type RunLogEvent } from '../../src/realtime/bus.js';
import { LOG_STREAM_LIMITS, oneByOne, runLogStream, type ReadLogLines } from '../../src/realtime/streams.js';

const RUN = 'run-1';

function line(sequence: number): RunLogEvent {
  return { runId: RUN, sequence, time: new Date(0), level: 'INFO', message: `line ${sequence}`, data: null, traceId: null };
}

function setup(storedUpTo: number) {
  const bus = createRealtimeBus();
  const store: RunLogEvent[] = Array.from({ length: storedUpTo }, (_, index) => line(index + 1));
  let reads = 0;
  const read: ReadLogLines = async (after, upTo, limit) => {
    reads += 1;
    return store.filter((item) => item.sequence > after && (upTo === null || item.sequence <= upTo)).slice(0, limit);
  };
  /** Stores lines from..to, then publishes them as one batch, as scheduler/run-log.ts does. */
  const write = (from: number, to: number, publish = true) => {
    const lines = Array.from({ length: to - from + 1 }, (_, index) => line(from + index));
    store.push(...lines);
    if (publish) bus.publishLogLines({ runId: RUN, lines });
    return lines;
  };
  const stream = (after = 0, heard?: () => Promise<void>) => runLogStream((handler) => bus.listen('runLog', RUN, handler), read, after, heard);
  return { bus, store, write, stream, reads: () => reads };
}

async function take(iterator: AsyncIterator<RunLogEvent[]>, count: number): Promise<number[]> {
  const sequences: number[] = [];
  while (sequences.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    expect(next.value.length).toBeGreaterThan(0);
    sequences.push(...next.value.map((item: RunLogEvent) => item.sequence));
  }
  return sequences;
}

describe('runLogStream', () => {
  it('sends the stored lines after the sequence, then live batches, with no gap and no duplicate', async () => {
    const t = setup(10);
    const stream = t.stream(4);
    const first = await stream.next();
    expect(first.value!.map((item: RunLogEvent) => item.sequence)).toEqual([5, 6, 7, 8, 9, 10]);
    t.write(11, 15);
    t.write(16, 16);
    // A duplicate of what was sent (a replay, or an echo) is dropped.
    t.bus.publishLogLines({ runId: RUN, lines: [line(15), line(16)] });
    t.write(17, 20);
    expect(await take(stream, 10)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    await stream.return?.();
    expect(t.bus.listenerCount()).toBe(0);
  });

  it('puts live lines in order and fills a gap from the store', async () => {
    const t = setup(0);
    const stream = t.stream(0);
    const pending = stream.next();
    // The stream started on next(): it listens, then reads the (empty) store, before next() returns.
    expect([t.bus.listenerCount(), t.reads()]).toEqual([1, 1]);
    // Lines 1–3 were stored but their event is late (e.g. read back by another process); 4–5 came first.
    t.write(1, 3, false);
    t.write(4, 5);
    const late = [line(1), line(2), line(3)];
    const sequences = (await pending).value!.map((item: RunLogEvent) => item.sequence);
    sequences.push(...(await take(stream, 5 - sequences.length)));
    expect(sequences).toEqual([1, 2, 3, 4, 5]);
    t.bus.publishLogLines({ runId: RUN, lines: late });
    t.write(6, 6);
    expect(await take(stream, 1)).toEqual([6]);
    await stream.return?.();
  });

  it('gathers what arrives while the client is busy into the next batch', async () => {
    const t = setup(0);
    const stream = t.stream(0);
    t.write(1, 1);
    expect((await stream.next()).value!.map((item: RunLogEvent) => item.sequence)).toEqual([1]);
    // The client has not asked for more: three writes wait and go out together.
    t.write(2, 3);
    t.write(4, 4);
    t.write(5, 7);
    // The writes are synchronous: all three are held before the stream looks again.
    expect((await stream.next()).value!.map((item: RunLogEvent) => item.sequence)).toEqual([2, 3, 4, 5, 6, 7]);
    await stream.return?.();
  });

  it('lets a client too slow for the backlog catch up from the store', async () => {
    const t = setup(0);
    const stream = t.stream(0);
    t.write(1, 1);
    await stream.next();
    const total = LOG_STREAM_LIMITS.backlog * 2;
    for (let from = 2; from <= total; from += 100) t.write(from, Math.min(total, from + 99));
    const sequences = await take(stream, total - 1);
    expect(sequences).toEqual(Array.from({ length: total - 1 }, (_, index) => index + 2));
    await stream.return?.();
    expect(t.bus.listenerCount()).toBe(0);
  });

  it('pages a long stored log into batches of at most a page', async () => {
    const t = setup(LOG_STREAM_LIMITS.page * 2 + 5);
    const stream = t.stream(0);
    const sizes: number[] = [];
    for (let index = 0; index < 3; index++) sizes.push((await stream.next()).value!.length);
    expect(sizes).toEqual([LOG_STREAM_LIMITS.page, LOG_STREAM_LIMITS.page, 5]);
    await stream.return?.();
  });

  it('one by one: the same lines, an event each, and closing lets go of the bus', async () => {
    const t = setup(3);
    const lines = oneByOne(t.stream(1));
    const sequences: number[] = [];
    for (let index = 0; index < 2; index++) sequences.push((await lines.next()).value!.sequence);
    t.write(4, 6);
    for (let index = 0; index < 3; index++) sequences.push((await lines.next()).value!.sequence);
    expect(sequences).toEqual([2, 3, 4, 5, 6]);
    // Closed while waiting for a line that never comes.
    const waiting = lines.next();
    await lines.return();
    expect((await waiting).done).toBe(true);
    expect(t.bus.listenerCount()).toBe(0);
  });

  it('reads the store only once other processes\' lines are heard, and misses none published meanwhile', async () => {
    const t = setup(3);
    let hear!: () => void;
    const heard = new Promise<void>((resolve) => (hear = resolve));
    const stream = t.stream(0, () => heard);
    const pending = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    // Listening, not reading yet: a line published now is held, and the read that follows finds it stored too.
    expect([t.bus.listenerCount(), t.reads()]).toEqual([1, 0]);
    t.write(4, 4);
    hear();
    const sequences = (await pending).value!.map((item: RunLogEvent) => item.sequence);
    sequences.push(...(await take(stream, 4 - sequences.length)));
    expect(sequences).toEqual([1, 2, 3, 4]);
    await stream.return?.();
  });
});

describe('the bus and other processes\' log lines', () => {
  it('asks its transport for them while it has a live-log listener, and no longer', async () => {
    const asked: boolean[] = [];
    let heard = 0;
    const transport: RealtimeTransport = {
      name: 'recording',
      send() {},
      receive() {},
      hearLogLines: async (on) => {
        asked.push(on);
        heard += 1;
      },
      close: async () => {},
    };
    const bus = createRealtimeBus(transport);
    const stopRun = bus.listen('run', RUN, () => {});
    expect(asked).toEqual([]);
    const stopFirst = bus.listen('runLog', RUN, () => {});
    const stopSecond = bus.listen('runLog', 'run-2', () => {});
    await bus.logLinesHeard();
    expect([asked, heard]).toEqual([[true], 1]);
    stopFirst();
    stopFirst();
    expect(asked).toEqual([true]);
    stopSecond();
    expect(asked).toEqual([true, false]);
    bus.listen('runLog', RUN, () => {})();
    expect(asked).toEqual([true, false, true, false]);
    stopRun();
  });

  it('needs no transport to hear them in one process', async () => {
    const bus = createRealtimeBus();
    const stop = bus.listen('runLog', RUN, () => {});
    await expect(bus.logLinesHeard()).resolves.toBeUndefined();
    stop();
  });
});
