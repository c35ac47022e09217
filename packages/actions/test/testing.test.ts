import { describe, expect, it } from 'vitest';
import { ActionArgsError, createActionContext, defineAction, z, type ActionLogLine } from '../src/index.js';
import { memorySundialData, runActionForTest, testUser } from '../src/testing.js';

const echo = defineAction({
  name: 'test.echo',
  description: 'Returns what it saw.',
  args: z.object({ word: z.string(), times: z.number().int().default(2) }),
  run: (ctx) => {
    ctx.log.info('echoing', { word: ctx.args.word });
    ctx.log.debug('plain line');
    ctx.progress(1, 2);
    ctx.progress(2, 2);
    return {
      text: ctx.args.word.repeat(ctx.args.times),
      user: ctx.user?.name ?? null,
      users: ctx.users.map((user) => user.id),
      since: ctx.since?.toISOString() ?? null,
      run: ctx.run,
    };
  },
});

describe('runActionForTest', () => {
  it('validates args, builds the context and captures logs and progress', async () => {
    const ada = testUser({ id: 'u1', name: 'Ada' });
    const result = await runActionForTest(echo, {
      args: { word: 'hi' },
      user: ada,
      since: new Date('2026-01-01T00:00:00Z'),
      run: { attempt: 2, trigger: 'RETRY' },
    });
    expect(result.output).toEqual({
      text: 'hihi',
      user: 'Ada',
      users: ['u1'],
      since: '2026-01-01T00:00:00.000Z',
      run: { id: 'test-run', jobId: 'test-job', parentRunId: null, attempt: 2, trigger: 'RETRY', scheduledFor: expect.any(Date) },
    });
    expect(result.logs).toEqual([
      { level: 'info', message: 'echoing', data: { word: 'hi' } },
      { level: 'debug', message: 'plain line' },
    ]);
    expect(result.progress).toEqual([
      { done: 1, total: 2 },
      { done: 2, total: 2 },
    ]);
  });

  it('gives user null and the users list when the job does not run per user', async () => {
    const users = [testUser({ id: 'a' }), testUser({ id: 'b' })];
    const { output } = await runActionForTest(echo, { args: { word: 'x' }, users });
    expect(output.user).toBeNull();
    expect(output.users).toEqual(['a', 'b']);
  });

  it('rejects invalid args with the field errors', async () => {
    const failure = runActionForTest(echo, { args: { times: 1, loud: true } });
    await expect(failure).rejects.toBeInstanceOf(ActionArgsError);
    await expect(failure).rejects.toMatchObject({
      message: 'invalid args for action "test.echo": word: is required; loud: is not a known argument',
      errors: [
        { field: 'word', message: 'is required' },
        { field: 'loud', message: 'is not a known argument' },
      ],
    });
  });

  it('passes on what the action throws', async () => {
    const failing = defineAction({
      name: 'test.fails',
      description: 'd',
      run: () => {
        throw new Error('remote said no');
      },
    });
    await expect(runActionForTest(failing)).rejects.toThrow('remote said no');
  });

  it('refuses an output that cannot be stored as JSON', async () => {
    const big = defineAction({ name: 'test.bigint', description: 'd', run: () => ({ count: 1n }) });
    await expect(runActionForTest(big)).rejects.toThrow(/^action "test.bigint" returned an output that is not JSON: /);
  });

  it('aborts the signal after the action’s timeoutMs, like the engine', async () => {
    const hangs = defineAction({
      name: 'test.hangs',
      description: 'd',
      defaults: { timeoutMs: 20 },
      run: ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
    });
    await expect(runActionForTest(hangs)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('hands log lines and progress to the hooks as they happen', async () => {
    const seen: string[] = [];
    await runActionForTest(echo, {
      args: { word: 'x' },
      onLog: (line) => seen.push(`log ${line.message}`),
      onProgress: (done, total) => seen.push(`progress ${done}/${total}`),
    });
    expect(seen).toEqual(['log echoing', 'log plain line', 'progress 1/2', 'progress 2/2']);
  });
});

describe('createActionContext', () => {
  const parts = (lines: ActionLogLine[], reports: number[][]) => ({
    args: {},
    user: null,
    users: [],
    signal: new AbortController().signal,
    since: null,
    run: { id: 'r', jobId: 'j', parentRunId: null, attempt: 1, trigger: 'MANUAL' as const, scheduledFor: new Date() },
    sundial: memorySundialData(),
    writeLog: (line: ActionLogLine) => lines.push(line),
    writeProgress: (done: number, total: number) => reports.push([done, total]),
  });

  it('refuses progress that is not whole, negative or past the total', () => {
    const reports: number[][] = [];
    const ctx = createActionContext(parts([], reports));
    for (const [done, total] of [
      [1.5, 2],
      [-1, 2],
      [3, 2],
      [Number.NaN, 2],
      [0, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(() => ctx.progress(done, total)).toThrow(RangeError);
    }
    ctx.progress(0, 0);
    expect(reports).toEqual([[0, 0]]);
  });

  it('makes every log line a string message with object data, stamped with its time', () => {
    const lines: ActionLogLine[] = [];
    const ctx = createActionContext(parts(lines, []));
    const log = ctx.log as unknown as Record<string, (message: unknown, data?: unknown) => void>;
    log.warn?.(42, [1, 2]);
    log.error?.('x', null);
    expect(lines.map(({ level, message, data }) => ({ level, message, data }))).toEqual([
      { level: 'warn', message: '42', data: { value: [1, 2] } },
      { level: 'error', message: 'x', data: undefined },
    ]);
    expect(lines[0]?.at).toBeInstanceOf(Date);
  });
});

describe('memorySundialData (context.sundial in action tests)', () => {
  const DAY = 86_400_000;
  const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);

  it('deletes finished runs before the cutoff in bounded steps: log lines first, children before their parent', async () => {
    const data = memorySundialData({
      runs: [
        { id: 'old', finishedAt: at(40), logLines: 3 },
        { id: 'parent', finishedAt: at(40) },
        { id: 'child-1', parentRunId: 'parent', finishedAt: at(40), logLines: 1 },
        { id: 'child-2', parentRunId: 'parent', finishedAt: at(40) },
        { id: 'recent', finishedAt: at(1), logLines: 1 },
        { id: 'running', createdAt: at(90), finishedAt: null },
        { id: 'busy-parent', finishedAt: at(40) },
        { id: 'busy-child', parentRunId: 'busy-parent', createdAt: at(40), finishedAt: null },
      ],
    });
    const cutoff = at(30);
    expect(await data.runs.countFinishedBefore(cutoff)).toBe(4);
    const steps = [];
    for (;;) {
      const step = await data.runs.deleteFinishedBefore(cutoff, { runs: 2, logLines: 2 });
      if (step.runs === 0 && step.logLines === 0) break;
      steps.push(step);
    }
    // The children go first (one line, then both runs), the parent only once they are gone; 3 lines take two steps.
    expect(steps[0]).toEqual({ runs: 2, logLines: 1 });
    expect(steps.reduce((sum, step) => sum + step.runs, 0)).toBe(4);
    expect(steps.reduce((sum, step) => sum + step.logLines, 0)).toBe(4);
    expect(steps.every((step) => step.runs <= 2 && step.logLines <= 2)).toBe(true);
    expect(data.stored.runs.map((run) => run.id).sort()).toEqual(['busy-child', 'busy-parent', 'recent', 'running']);
  });

  it("delivers inbox messages in order, and refuses users that do not exist (the run's users by default)", async () => {
    const ada = testUser({ id: 'ada' });
    const notify = defineAction({
      name: 'test.notify',
      description: 'Notifies the users.',
      run: async (ctx) => ctx.sundial.inboxes.deliver(ctx.users.map((user) => ({ userId: user.id, subject: 'Hi', body: user.name }))),
    });
    const data = memorySundialData({ userIds: ['ada'] });
    const { output } = await runActionForTest(notify, { users: [ada], sundial: data });
    expect(data.stored.inboxMessages).toEqual([{ id: output[0], userId: 'ada', subject: 'Hi', body: ada.name }]);
    await expect(runActionForTest(notify, { users: [ada, testUser({ id: 'ghost' })], sundial: data })).rejects.toThrow('no user with id ghost');
    // Without a seeded one, the kit's own data knows exactly the run's users.
    expect((await runActionForTest(notify, { users: [ada] })).output).toHaveLength(1);
  });
});
