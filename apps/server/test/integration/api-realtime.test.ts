// The cross-process bus itself: two buses on one real PostgreSQL, as two processes would have them. Events reach
// the other bus in order and not their own twice; a batch of log lines larger than NOTIFY's 8000-byte payload limit
// arrives whole and in order, a line over the limit by itself too (read back from the stored line); a burst is packed
// into few notifications; a process hears other processes' log lines only while it has a live-log listener, also
// on a reopened connection. Always on PostgreSQL: the embedded
// database does not deliver NOTIFY, and there the bus stays in-process.
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRealtimeBus, type BusEvent, type RealtimeBus, type RunChange, type RunLogEvent } from '../../src/realtime/bus.js';
import { createRealtime } from '../../src/realtime/create.js';
import { createPostgresTransport, encode, pack } from '../../src/realtime/postgres.js';
import { testConfig } from '../support/database.js';
import { waitFor } from '../support/engine.js';

const BASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

describe('realtime bus over PostgreSQL LISTEN/NOTIFY', () => {
  const name = `sundial_test_${crypto.randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
  let database: Database;
  let a: RealtimeBus;
  let b: RealtimeBus;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    database = await openDatabase(testConfig({ database: { url } }));
    await database.migrate();
    const logger = createLogger('error');
    a = await createRealtime(database, logger);
    b = createRealtimeBus(await createPostgresTransport({ url, pool: database.pool, logger }));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.close();
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('is cross-process on PostgreSQL', () => {
    expect(a.reach).toBe('postgres');
  });

  it('delivers run and job changes to the other bus in order, and each bus its own events once', async () => {
    const seenByB: RunChange[] = [];
    const seenByA: RunChange[] = [];
    const stopB = b.listen('runsFeed', (change) => seenByB.push(change));
    const stopA = a.listen('runsFeed', (change) => seenByA.push(change));
    const jobChanges: string[] = [];
    const stopJob = b.listen('job', 'job-1', (change) => jobChanges.push(change.change));
    try {
      const statuses = ['QUEUED', 'RUNNING', 'SUCCEEDED'] as const;
      for (let index = 0; index < 300; index += 1) {
        a.publishRunChange({ runId: `run-${index}`, jobId: 'job-1', parentRunId: null, status: statuses[index % 3]! });
      }
      a.publishJobChange({ jobId: 'job-1', change: 'updated' });
      await waitFor(async () => seenByB.length >= 300 && jobChanges.length >= 1, 15_000, '300 changes on the other bus');
      expect(seenByB.map((change) => change.runId)).toEqual(Array.from({ length: 300 }, (_, index) => `run-${index}`));
      expect(jobChanges).toEqual(['updated']);
      // Then nobody got anything twice: a marker each bus sends now reaches the other one behind any stray echo or
      // repeat of the events above (notifications arrive in the order they were sent).
      a.publishRunChange({ runId: 'marker-a', jobId: 'job-1', parentRunId: null, status: 'SUCCEEDED' });
      b.publishRunChange({ runId: 'marker-b', jobId: 'job-1', parentRunId: null, status: 'SUCCEEDED' });
      const has = (seen: RunChange[], runId: string) => seen.some((change) => change.runId === runId);
      await waitFor(async () => has(seenByA, 'marker-b') && has(seenByB, 'marker-a'), 15_000, 'each bus to get the other one\'s marker');
      const events = (seen: RunChange[]) => seen.filter((change) => !change.runId.startsWith('marker-'));
      expect(events(seenByA)).toHaveLength(300);
      expect(events(seenByB)).toHaveLength(300);
    } finally {
      stopA();
      stopB();
      stopJob();
    }
  });

  it('delivers a log line larger than a NOTIFY payload whole, by reading the stored line back', async () => {
    const job = await database.prisma.job.create({ data: { name: 'big', action: 'x' } });
    const run = await database.prisma.run.create({ data: { jobId: job.id, trigger: 'MANUAL' } });
    const message = 'ü'.repeat(6000); // 12,000 bytes in UTF-8
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const line: RunLogEvent = { runId: run.id, sequence: 1, time: new Date(), level: 'INFO', message, data: { big: true }, traceId };
    await database.prisma.runLogLine.create({ data: { runId: run.id, sequence: 1, time: line.time, level: 'INFO', message, data: { big: true }, traceId } });
    const received: RunLogEvent[] = [];
    const stop = b.listen('runLog', run.id, (batch) => received.push(...batch.lines));
    await b.logLinesHeard();
    try {
      a.publishLogLines({ runId: run.id, lines: [line, { ...line, sequence: 2, message: 'small' }] });
      await waitFor(async () => received.length >= 2 || null, 15_000, 'both lines');
      const big = received.find((event) => event.sequence === 1)!;
      expect(big.message).toBe(message);
      expect(big.data).toEqual({ big: true });
      expect(big.time).toBeInstanceOf(Date);
      // The trace id travels with a line, whether it came in the notification or was read back.
      expect(big.traceId).toBe(traceId);
      expect(received.find((event) => event.sequence === 2)).toMatchObject({ message: 'small', traceId });
    } finally {
      stop();
    }
  });

  it('delivers a batch of lines larger than a payload whole and in order, in few notifications', async () => {
    const runId = crypto.randomUUID();
    const lines: RunLogEvent[] = Array.from({ length: 500 }, (_, index) => ({
      runId,
      sequence: index + 1,
      time: new Date(),
      level: 'INFO',
      message: `line ${index + 1} ${'x'.repeat(60)}`,
      data: { index },
      traceId: null,
    }));
    const pieces = encode({ kind: 'log', batch: { runId, lines } });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.length).toBeLessThan(20);
    for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThan(8000);
    const received: RunLogEvent[] = [];
    const stop = b.listen('runLog', runId, (batch) => received.push(...batch.lines));
    await b.logLinesHeard();
    try {
      a.publishLogLines({ runId, lines });
      await waitFor(async () => received.length >= 500 || null, 15_000, '500 lines');
      expect(received.map((line) => line.sequence)).toEqual(lines.map((line) => line.sequence));
      expect(received[499]).toEqual(lines[499]);
    } finally {
      stop();
    }
  });

  it('hears other processes\' log lines only while it wants them, in order with the other events', async () => {
    const transport = await createPostgresTransport({ url, pool: database.pool, logger: createLogger('error') });
    const got: BusEvent[] = [];
    transport.receive((event) => got.push(event));
    const runId = crypto.randomUUID();
    const line = (sequence: number): RunLogEvent => ({ runId, sequence, time: new Date(), level: 'INFO', message: `line ${sequence}`, data: null, traceId: null });
    /** Lines, then a run change behind them on the other channel: once the change is here, so are the lines it followed. */
    const publish = async (sequence: number) => {
      const marker = `${runId}-after-${sequence}`;
      a.publishLogLines({ runId, lines: [line(sequence)] });
      a.publishRunChange({ runId: marker, jobId: 'job-1', parentRunId: null, status: 'SUCCEEDED' });
      await waitFor(async () => got.some((event) => event.kind === 'run' && event.change.runId === marker) || null, 15_000, `the change after line ${sequence}`);
    };
    const heard = () => got.flatMap((event) => (event.kind === 'log' ? event.batch.lines.map((item) => item.sequence) : []));
    try {
      await publish(1);
      expect(heard()).toEqual([]);
      await transport.hearLogLines(true);
      await publish(2);
      await publish(3);
      expect(heard()).toEqual([2, 3]);
      // Each line came before the change sent after it.
      const order = got.map((event) => (event.kind === 'log' ? `line ${event.batch.lines[0]!.sequence}` : event.kind === 'run' ? event.change.runId : event.kind));
      expect(order.indexOf('line 2')).toBeLessThan(order.indexOf(`${runId}-after-2`));
      expect(order.indexOf(`${runId}-after-2`)).toBeLessThan(order.indexOf('line 3'));
      await transport.hearLogLines(false);
      await publish(4);
      expect(heard()).toEqual([2, 3]);
    } finally {
      await transport.close();
    }
  });

  it('listens for log lines again on a reopened connection while it wants them', async () => {
    const transport = await createPostgresTransport({ url, pool: database.pool, logger: createLogger('error') });
    const got: BusEvent[] = [];
    transport.receive((event) => got.push(event));
    const runId = crypto.randomUUID();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await transport.hearLogLines(true);
      // The listening connection is the one whose last statement listened for log lines (the other buses here have
      // no live-log listener now: their last one was UNLISTEN or plain LISTEN).
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN sundial_realtime_log'`,
      );
      expect(rows).toHaveLength(1);
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // Events sent while the connection is down are lost: send changes until one arrives on the reopened connection
      // (which listens for log lines before it listens for changes), then a line and a change behind it.
      const sent = new Set<string>();
      const arrived = (marker: string) => got.some((event) => event.kind === 'run' && event.change.runId === marker);
      await waitFor(
        async () => {
          if ([...sent].some(arrived)) return true;
          const marker = `${runId}-probe-${sent.size}`;
          sent.add(marker);
          a.publishRunChange({ runId: marker, jobId: 'job-1', parentRunId: null, status: 'SUCCEEDED' });
          return null;
        },
        30_000,
        'a change on the reopened connection',
      );
      a.publishLogLines({ runId, lines: [{ runId, sequence: 1, time: new Date(), level: 'INFO', message: 'again', data: null, traceId: null }] });
      a.publishRunChange({ runId: `${runId}-after-1`, jobId: 'job-1', parentRunId: null, status: 'SUCCEEDED' });
      await waitFor(async () => arrived(`${runId}-after-1`), 15_000, 'the change after the line');
      expect(got.filter((event) => event.kind === 'log').map((event) => event.kind === 'log' && event.batch.lines[0]!.sequence)).toEqual([1]);
    } finally {
      await admin.end();
      await transport.close();
    }
  });

  it('packs a burst into payloads under the limit, in order', () => {
    const events = Array.from({ length: 500 }, (_, index) => JSON.stringify({ kind: 'run', change: { runId: `r${index}`, pad: 'x'.repeat(50) } }));
    const payloads = pack(events, 'origin');
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.length).toBeLessThan(20);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    const unpacked = payloads.flatMap((payload) => (JSON.parse(payload) as { e: { change: { runId: string } }[] }).e.map((event) => event.change.runId));
    expect(unpacked).toEqual(Array.from({ length: 500 }, (_, index) => `r${index}`));
  });
});
