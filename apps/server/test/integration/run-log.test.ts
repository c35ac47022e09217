// The run log's writer (scheduler/run-log.ts) on a real database and the real in-process bus: lines written in a
// burst are stored with consecutive sequences, announced in this process at once and sent to other processes only
// once stored, as few batches; announced lines are held until stored, so a subscriber joining meanwhile gets them;
// a flush waits
// for everything written before it; NUL characters (refused by PostgreSQL's text and jsonb) are replaced, not a
// reason to lose the batch; a retried run continues its log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeBus, type RunLogBatch } from '../../src/realtime/bus.js';
import { runLogStream, withUnstoredLines, type LogLine } from '../../src/realtime/streams.js';
import { LOG_LIMITS, RunLog } from '../../src/engine/run-log.js';
import { openTestDatabase } from '../support/database.js';
import { until } from '../support/wait.js';

describe('run log writer', () => {
  let db: Awaited<ReturnType<typeof openTestDatabase>>;
  const bus = createRealtimeBus();

  beforeAll(async () => {
    db = await openTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function newRun() {
    const job = await db.prisma.job.create({ data: { name: `log ${Math.random()}`, action: 'x' } });
    return db.prisma.run.create({ data: { jobId: job.id, trigger: 'MANUAL' } });
  }

  const stored = (runId: string) =>
    db.prisma.runLogLine.findMany({ where: { runId }, orderBy: { sequence: 'asc' }, select: { sequence: true, level: true, message: true, data: true } });

  it('stores a burst in order, announces it here at once in few batches, and sends it to other processes once stored', async () => {
    const run = await newRun();
    // What goes to other processes: the transport, with the count of stored lines when each batch left.
    const sent: RunLogBatch[] = [];
    const storedWhenSent: Promise<number>[] = [];
    const crossProcess = createRealtimeBus({
      name: 'recording',
      send(event) {
        if (event.kind !== 'log') return;
        sent.push(event.batch);
        storedWhenSent.push(db.prisma.runLogLine.count({ where: { runId: run.id, sequence: { lte: event.batch.lines.at(-1)!.sequence } } }));
      },
      receive() {},
      hearLogLines: async () => {},
      close: async () => {},
    });
    const announced: RunLogBatch[] = [];
    const stop = crossProcess.listen('runLog', run.id, (batch) => announced.push(batch));
    try {
      const log = new RunLog(db.pool, crossProcess, run.id, 0);
      const total = LOG_LIMITS.batchLines * 2 + 50;
      for (let index = 1; index <= total; index++) log.write(index % 2 ? 'INFO' : 'WARN', `line ${index}`, { index });
      await log.flush();
      const lines = await stored(run.id);
      const sequences = lines.map((line) => line.sequence);
      expect(sequences).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      expect(lines[0]).toEqual({ sequence: 1, level: 'INFO', message: 'line 1', data: { index: 1 } });
      expect(announced.flatMap((batch) => batch.lines.map((line) => line.sequence))).toEqual(sequences);
      expect(announced.length).toBeLessThanOrEqual(3);
      expect(announced[0]!.lines[1]).toMatchObject({ runId: run.id, sequence: 2, level: 'WARN', message: 'line 2', data: { index: 2 } });
      expect(sent.flatMap((batch) => batch.lines.map((line) => line.sequence))).toEqual(sequences);
      // Each batch left for other processes after it (and everything before it) was stored.
      expect(await Promise.all(storedWhenSent)).toEqual(sent.map((batch) => batch.lines.at(-1)!.sequence));
      expect(crossProcess.unstoredLogLines(run.id, 0, null)).toEqual([]);
    } finally {
      stop();
    }
  });

  it('holds announced lines until they are stored, so a subscriber joining meanwhile misses none', async () => {
    const run = await newRun();
    // The store waits at a gate (the database is real; only its moment is chosen by the test).
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let storeAttempts = 0;
    const slowPool = {
      query: async (...args: Parameters<typeof db.pool.query>) => {
        storeAttempts += 1;
        return gate.then(() => db.pool.query(...args));
      },
    } as unknown as typeof db.pool;
    const log = new RunLog(slowPool, bus, run.id, 0);
    log.write('INFO', 'one');
    log.write('INFO', 'two');
    // The writer's flush timer fires and it tries to store them: that store waits at the gate.
    await until('the writer to try to store the lines', () => storeAttempts > 0, 10_000);
    expect(await stored(run.id)).toEqual([]);
    expect(bus.unstoredLogLines(run.id, 0, null).map((line) => line.message)).toEqual(['one', 'two']);

    // A subscriber that joins now reads the database (nothing yet) and the bus's unstored lines: no gap.
    const read = withUnstoredLines(
      async (after, upTo, limit) =>
        (await db.prisma.runLogLine.findMany({ where: { runId: run.id, sequence: { gt: after, ...(upTo === null ? {} : { lte: upTo }) } }, orderBy: { sequence: 'asc' }, take: limit })).map(
          (line) => ({ ...line, data: line.data }),
        ),
      (after, upTo) => bus.unstoredLogLines(run.id, after, upTo),
    );
    const stream = runLogStream((handler) => bus.listen('runLog', run.id, handler), read, 0);
    expect((await stream.next()).value!.map((line: LogLine) => line.message)).toEqual(['one', 'two']);
    log.write('INFO', 'three');
    expect((await stream.next()).value!.map((line: LogLine) => line.message)).toEqual(['three']);

    open();
    await log.flush();
    expect((await stored(run.id)).map((line) => line.message)).toEqual(['one', 'two', 'three']);
    expect(bus.unstoredLogLines(run.id, 0, null)).toEqual([]);
    await stream.return?.();
  });

  it('replaces NUL in messages and data instead of losing the batch', async () => {
    const run = await newRun();
    const log = new RunLog(db.pool, bus, run.id, 0);
    log.write('INFO', 'before\u0000after', { text: 'a\u0000b', path: 'C:\\u0000' });
    log.write('INFO', 'plain');
    await log.flush();
    expect(await stored(run.id)).toEqual([
      { sequence: 1, level: 'INFO', message: 'before\uFFFDafter', data: { text: 'a\uFFFDb', path: 'C:\\u0000' } },
      { sequence: 2, level: 'INFO', message: 'plain', data: null },
    ]);
  });

  it('continues after the last stored sequence (a retried run) and a flush with nothing pending resolves', async () => {
    const run = await newRun();
    const first = new RunLog(db.pool, bus, run.id, 0);
    first.write('INFO', 'attempt 1');
    await first.flush();
    await first.flush();
    const second = new RunLog(db.pool, bus, run.id, first.lastSequence);
    second.write('ERROR', 'attempt 2');
    await second.flush();
    expect((await stored(run.id)).map((line) => [line.sequence, line.message])).toEqual([
      [1, 'attempt 1'],
      [2, 'attempt 2'],
    ]);
  });
});
