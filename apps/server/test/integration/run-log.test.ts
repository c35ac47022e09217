// The run log's writer (scheduler/run-log.ts) on a real database and the real in-process bus: lines written in a
// burst are stored with consecutive sequences and published after they are stored, as few batches; a flush waits
// for everything written before it; NUL characters (refused by PostgreSQL's text and jsonb) are replaced, not a
// reason to lose the batch; a retried run continues its log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRealtimeBus, type RunLogBatch } from '../../src/realtime/bus.js';
import { LOG_LIMITS, RunLog } from '../../src/scheduler/run-log.js';
import { openTestDatabase } from '../support/database.js';

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

  it('stores a burst in order and publishes it after storing, in batches', async () => {
    const run = await newRun();
    const batches: RunLogBatch[] = [];
    const storedWhenPublished: number[] = [];
    const stop = bus.listen('runLog', run.id, (batch) => {
      batches.push(batch);
      void db.prisma.runLogLine.count({ where: { runId: run.id, sequence: batch.lines.at(-1)!.sequence } }).then((count) => storedWhenPublished.push(count));
    });
    try {
      const log = new RunLog(db.pool, bus, run.id, 0);
      const total = LOG_LIMITS.batchLines * 2 + 50;
      for (let index = 1; index <= total; index++) log.write(index % 2 ? 'INFO' : 'WARN', `line ${index}`, { index });
      await log.flush();
      const lines = await stored(run.id);
      expect(lines.map((line) => line.sequence)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      expect(lines[0]).toEqual({ sequence: 1, level: 'INFO', message: 'line 1', data: { index: 1 } });
      expect(batches.flatMap((batch) => batch.lines.map((line) => line.sequence))).toEqual(lines.map((line) => line.sequence));
      expect(batches.length).toBeLessThanOrEqual(3);
      expect(batches[0]!.lines[1]).toMatchObject({ runId: run.id, sequence: 2, level: 'WARN', message: 'line 2', data: { index: 2 } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(storedWhenPublished).toEqual(batches.map(() => 1));
    } finally {
      stop();
    }
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
