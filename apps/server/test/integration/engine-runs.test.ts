// Runs end to end on a real engine: run now, args, since, logs, retries, timeouts, cancel, bad actions.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/services/errors.js';
import { clockTimer, startTestEngine, statusIs, waitFor, type TestEngine } from '../support/engine.js';

const attemptsSeen = new Map<string, number[]>();

const actions = [
  defineAction({
    name: 'test.echo',
    description: 'Returns its args, the since it got, and logs two lines.',
    args: z.object({ message: z.string(), times: z.number().int().default(1) }),
    run: ({ args, log, since, users, user }) => {
      log.info('first', { n: 1 });
      log.warn('second');
      return { args, since: since?.toISOString() ?? null, users: users.map((u) => u.email), user };
    },
  }),
  defineAction({
    name: 'test.flaky',
    description: 'Fails until its attempt reaches args.succeedOn.',
    args: z.object({ succeedOn: z.number().int() }),
    defaults: { retries: 2, retryBackoffMs: 50 },
    run: ({ args, run }) => {
      attemptsSeen.set(run.id, [...(attemptsSeen.get(run.id) ?? []), run.attempt]);
      if (run.attempt < args.succeedOn) throw new Error(`attempt ${run.attempt} failed on purpose`);
      return { attempt: run.attempt };
    },
  }),
  defineAction({
    name: 'test.hang',
    description: 'Never finishes and ignores its signal.',
    run: () => new Promise(() => {}),
  }),
  defineAction({
    name: 'test.wait',
    description: 'Waits for its signal.',
    run: ({ signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
  }),
  defineAction({
    name: 'test.nasty',
    description: 'Returns something that is not JSON and logs megabytes.',
    run: ({ log }) => {
      const big = 'x'.repeat(1_000_000);
      for (let i = 0; i < 5; i++) log.info(big, { big });
      const cyclic: Record<string, unknown> = { n: 1n };
      cyclic.self = cyclic;
      return cyclic;
    },
  }),
  defineAction({
    name: 'test.throws-string',
    description: 'Throws a string.',
    run: () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what this test action is about
      throw 'plain string';
    },
  }),
];

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine(actions);
});
afterAll(async () => {
  await t?.close();
});

async function job(action: string, args: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return t.engine.jobs.create({ name: `${action} job`, action, args, ...extra });
}

describe('run now', () => {
  it('runs the action, stores output and ordered logs, and passes since from the last success', async () => {
    const created = await job('test.echo', { message: 'hi' });
    const first = await t.engine.runs.start(created.id, { trigger: 'MANUAL', title: 'first' });
    const done = await t.waitForRun(first.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.title).toBe('first');
    expect(done.output).toMatchObject({ args: { message: 'hi', times: 1 }, since: null, users: [], user: null });
    const lines = await t.prisma.runLogLine.findMany({ where: { runId: first.id }, orderBy: { sequence: 'asc' } });
    expect(lines.map((l) => [l.sequence, l.level, l.message])).toEqual([
      [1, 'INFO', 'first'],
      [2, 'WARN', 'second'],
    ]);
    expect(lines[0]!.data).toEqual({ n: 1 });
    expect(done.logSequence).toBe(2);

    const second = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'API' })).id);
    expect((second.output as { since: string }).since).toBe(done.startedAt!.toISOString());

    const override = new Date('2020-01-01T00:00:00Z');
    const third = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL', since: override })).id);
    expect((third.output as { since: string }).since).toBe(override.toISOString());
  });

  it('overrides args key by key and validates the result, naming the field', async () => {
    const created = await job('test.echo', { message: 'from job', times: 3 });
    const run = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL', args: { times: 5 } })).id);
    expect(run.args).toEqual({ message: 'from job', times: 5 });
    await expect(t.engine.runs.start(created.id, { trigger: 'MANUAL', args: { times: 'many' } })).rejects.toSatisfy(
      (error: unknown) => error instanceof ValidationError && error.errors.some((e) => e.field === 'args.times'),
    );
    await expect(t.engine.runs.start(created.id, { trigger: 'MANUAL', args: { colour: 'red' } })).rejects.toSatisfy(
      (error: unknown) => error instanceof ValidationError && error.errors.some((e) => e.field === 'args.colour'),
    );
    expect(await t.prisma.run.count({ where: { jobId: created.id } })).toBe(1);
  });

  it('works on a disabled job', async () => {
    const created = await job('test.echo', { message: 'x' }, { enabled: false });
    const run = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('SUCCEEDED');
  });
});

describe('failures', () => {
  it('retries with backoff on the same run, visible as attempt 2 and 3', async () => {
    const created = await job('test.flaky', { succeedOn: 3 });
    const run = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.attempt).toBe(3);
    expect(run.maxAttempts).toBe(3);
    expect(attemptsSeen.get(run.id)).toEqual([1, 2, 3]);
    expect(run.output).toEqual({ attempt: 3 });
  });

  it('fails for good when attempts run out, keeping the error message and stack', async () => {
    const created = await job('test.flaky', { succeedOn: 99 }, { retries: 1, retryBackoffMs: 10 });
    const run = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('FAILED');
    expect(run.attempt).toBe(2);
    expect(run.errorMessage).toBe('attempt 2 failed on purpose');
    expect(run.errorStack).toContain('Error: attempt 2 failed on purpose');
  });

  it('times out an action that ignores its signal, and the worker goes on', async () => {
    const created = await job('test.hang', {}, { timeoutMs: 300 });
    const run = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('TIMED_OUT');
    expect(run.errorMessage).toMatch(/timed out after/);
    const after = await t.waitForRun((await t.engine.runs.start((await job('test.echo', { message: 'still alive' })).id, { trigger: 'MANUAL' })).id);
    expect(after.status).toBe('SUCCEEDED');
  });

  it('cancels a running run and does not retry it', async () => {
    const created = await job('test.wait', {}, { retries: 3, retryBackoffMs: 10 });
    const started = await t.engine.runs.start(created.id, { trigger: 'MANUAL' });
    await t.waitForRun(started.id, statusIs('RUNNING'));
    await t.engine.runs.cancel(started.id);
    const run = await t.waitForRun(started.id);
    expect(run.status).toBe('CANCELLED');
    expect(run.attempt).toBe(1);
  });

  it('cancels a queued run before it starts', async () => {
    const created = await job('test.echo', { message: 'never' });
    // Queued and waiting out a backoff, so that no claim (the worker polls the runs table) takes it before the cancel.
    const notBefore = new Date(Date.now() + 3_600_000);
    const run = await t.prisma.run.create({ data: { jobId: created.id, trigger: 'MANUAL', args: { message: 'never' }, notBefore } });
    const cancelled = await t.engine.runs.cancel(run.id);
    expect(cancelled.status).toBe('CANCELLED');
    await expect(t.engine.runs.cancel(run.id)).rejects.toThrow(/only queued or running runs can be cancelled/);
  });

  it('survives unserialisable output, megabytes of logs and thrown strings', async () => {
    const nasty = await t.waitForRun((await t.engine.runs.start((await job('test.nasty')).id, { trigger: 'MANUAL' })).id);
    expect(nasty.status).toBe('SUCCEEDED');
    expect(nasty.output).toMatchObject({ n: '1', self: '[circular]' });
    const lines = await t.prisma.runLogLine.findMany({ where: { runId: nasty.id } });
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line.message.length).toBeLessThan(10_000);
      expect(line.data).toMatchObject({ note: expect.stringMatching(/data cut/) });
    }
    const thrown = await t.waitForRun((await t.engine.runs.start((await job('test.throws-string')).id, { trigger: 'MANUAL' })).id);
    expect(thrown.status).toBe('FAILED');
    expect(thrown.errorMessage).toMatch(/non-error value: "plain string"/);
  });

  it('retries a finished failed run as a new run with the same args', async () => {
    const created = await job('test.flaky', { succeedOn: 2 }, { retries: 0 });
    const failed = await t.waitForRun((await t.engine.runs.start(created.id, { trigger: 'MANUAL', title: 'import' })).id);
    expect(failed.status).toBe('FAILED');
    const retry = await t.engine.runs.retry(failed.id);
    expect(retry.trigger).toBe('RETRY');
    expect(retry.title).toBe('import');
    // A new run starts at attempt 1 again, so this one fails too: what matters is that it ran on its own row.
    const done = await t.waitForRun(retry.id);
    expect(done.id).not.toBe(failed.id);
    await expect(t.engine.runs.retry((await t.waitForRun((await t.engine.runs.start((await job('test.echo', { message: 'ok' })).id, { trigger: 'MANUAL' })).id)).id)).rejects.toThrow(/only failed/);
  });
});

describe('repair', () => {
  it('gives a job without a next slot one', async () => {
    const scheduled = await t.engine.jobs.create({
      name: 'daily', action: 'test.echo', args: { message: 'x' }, schedule: { scheduleKind: 'CRON', cron: '0 9 * * *', timezone: 'UTC' },
    });
    // As restored from a backup taken without the slots: the clock would never see the job.
    await t.prisma.jobSchedule.updateMany({ where: { jobId: scheduled.id }, data: { nextRunAt: null } });
    await t.prisma.job.update({ where: { id: scheduled.id }, data: { nextRunAt: null } });
    expect(await clockTimer(t.database.pool, scheduled.id)).toBeNull();
    await t.engine.repairer.pass();
    const restored = await t.prisma.job.findUniqueOrThrow({ where: { id: scheduled.id } });
    expect(restored.nextRunAt).toEqual(scheduled.nextRunAt);
    expect(await clockTimer(t.database.pool, scheduled.id)).toEqual(scheduled.nextRunAt);
  });
});

describe('live updates', () => {
  it('publishes status changes and stored log lines in order', async () => {
    const created = await job('test.echo', { message: 'live' });
    const statuses: string[] = [];
    const lines: number[] = [];
    const feed = t.bus.subscribe('jobRuns', created.id);
    const collect = (async () => {
      for await (const change of feed) {
        statuses.push(change.status);
        if (change.status === 'SUCCEEDED') break;
      }
    })();
    const run = await t.engine.runs.start(created.id, { trigger: 'MANUAL' });
    const logs = t.bus.subscribe('runLog', run.id);
    const collectLogs = (async () => {
      for await (const batch of logs) {
        lines.push(...batch.lines.map((line) => line.sequence));
        if (lines.length >= 2) break;
      }
    })();
    await t.waitForRun(run.id);
    await waitFor(async () => statuses.includes('SUCCEEDED'), 5000);
    await collect;
    expect(statuses).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    await collectLogs;
    expect(lines).toEqual([1, 2]);
  });
});
