// The shipped examples, run with the action test kit the way their authors would test them.
import { describe, expect, it } from 'vitest';
import { ActionArgsError } from '@sundial/actions';
import { runActionForTest, testUser } from '@sundial/actions/testing';
import importRecords from '../../../../actions/examples/import-records.js';
import noop from '../../../../actions/examples/noop.js';
import recommend from '../../../../actions/examples/recommend.js';
import reminder from '../../../../actions/examples/reminder.js';

const ada = testUser({ id: 'u-ada', name: 'Ada Lovelace', email: 'ada@example.test', attributes: { chatId: 1815 } });
const grace = testUser({ id: 'u-grace', name: 'Grace Hopper', email: 'grace@example.test' });

describe('examples.reminder', () => {
  it('fills the shared {{placeholders}} for the run’s user', async () => {
    const { output } = await runActionForTest(reminder, {
      args: { message: 'Hi {{firstName}} ({{ name }}, {{email}}), chat {{attributes.chatId}}, run {{run.trigger}}' },
      user: ada,
      users: [ada],
      run: { trigger: 'MANUAL' },
    });
    expect(output.sent[0]?.text).toBe('Hi Ada (Ada Lovelace, ada@example.test), chat 1815, run MANUAL');
  });

  it('refuses an unknown {{placeholder}} when the args are checked, naming the argument', async () => {
    await expect(runActionForTest(reminder, { args: { message: 'Hi {{nmae}}' }, user: ada })).rejects.toMatchObject({
      errors: [{ field: 'message', message: expect.stringMatching(/^\{\{nmae\}\} is not a placeholder; use one of \{\{id\}\}, \{\{name\}\}/) }],
    });
  });

  it('reminds the run’s user with their name filled in (the older single-brace form of stored jobs)', async () => {
    const { output, logs, progress } = await runActionForTest(reminder, {
      args: { message: 'Hi {firstName} ({name}), your report is due. {unknown}' },
      user: ada,
      users: [ada, grace],
    });
    const text = 'Hi Ada (Ada Lovelace), your report is due. {unknown}';
    expect(output).toEqual({
      channel: 'email',
      sent: [{ userId: 'u-ada', channel: 'email', to: 'ada@example.test', text }],
      skipped: [],
    });
    expect(logs).toEqual([
      { level: 'info', message: 'would send to Ada Lovelace by email', data: { to: 'ada@example.test', text } },
    ]);
    expect(progress).toEqual([{ done: 1, total: 1 }]);
  });

  it('reminds every targeted user when the job does not run per user, skipping those without a chat id', async () => {
    const { output, logs } = await runActionForTest(reminder, {
      args: { message: 'Stand-up in 5, {firstName}', channel: 'chat' },
      users: [ada, grace],
    });
    expect(output.sent).toEqual([{ userId: 'u-ada', channel: 'chat', to: '1815', text: 'Stand-up in 5, Ada' }]);
    expect(output.skipped).toEqual([{ userId: 'u-grace', reason: 'no chatId attribute' }]);
    expect(logs.map((line) => `${line.level} ${line.message}`)).toEqual([
      'info would send to Ada Lovelace by chat',
      'warn skipped Grace Hopper: no chatId attribute',
    ]);
  });

  it('warns when there is nobody to remind', async () => {
    const { output, logs } = await runActionForTest(reminder, { args: { message: 'x' } });
    expect(output).toEqual({ channel: 'email', sent: [], skipped: [] });
    expect(logs).toEqual([{ level: 'warn', message: 'no users to remind: target users or roles in the job' }]);
  });

  it('requires a message, and says what to write', async () => {
    await expect(runActionForTest(reminder, { args: { channel: 'email' } })).rejects.toMatchObject({
      errors: [{ field: 'message', message: 'is required' }],
    });
    await expect(runActionForTest(reminder, { args: { message: '   ' } })).rejects.toMatchObject({
      errors: [{ field: 'message', message: 'write the reminder text, e.g. "Hi {{firstName}}, the report is due today"' }],
    });
  });
});

describe('examples.recommend', () => {
  const TITLES: Record<string, readonly string[]> = {
    'fantasy/es': ['La historia interminable', 'El nombre del viento'],
    'classics/en': ['Middlemarch', 'Moby-Dick'],
    'mystery/en': ['The Moonstone', 'The Hound of the Baskervilles'],
  };
  const titles = (genre: string, language: string) => TITLES[`${genre}/${language}`] ?? [];

  it('reads the user’s favouriteGenre and locale attributes', async () => {
    const reader = testUser({ id: 'u-1', name: 'Lucía', attributes: { favouriteGenre: 'Fantasy', locale: 'es-ES' } });
    const { output, logs } = await runActionForTest(recommend, { user: reader });
    const [recommendation] = output.recommendations;
    expect(recommendation).toMatchObject({ userId: 'u-1', genre: 'fantasy', language: 'es', fallback: false });
    expect(titles('fantasy', 'es')).toContain(recommendation?.title);
    expect(logs.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('falls back, with a warning naming the attribute, when attributes are missing', async () => {
    const bare = testUser({ id: 'u-2', name: 'Bare' });
    const { output, logs } = await runActionForTest(recommend, { user: bare });
    expect(output.recommendations[0]).toMatchObject({ genre: 'classics', language: 'en', fallback: true });
    expect(titles('classics', 'en')).toContain(output.recommendations[0]?.title);
    expect(logs.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', message: 'Bare has no favouriteGenre attribute; using the fallback', data: { userId: 'u-2', attribute: 'favouriteGenre' } },
      { level: 'warn', message: 'Bare has no locale attribute; using the fallback', data: { userId: 'u-2', attribute: 'locale' } },
    ]);
  });

  it('falls back on values it does not know and on values that are not text', async () => {
    const odd = testUser({ id: 'u-3', name: 'Odd', attributes: { favouriteGenre: 'poetry', locale: 42 } });
    const { output, logs } = await runActionForTest(recommend, { user: odd, args: { fallbackGenre: 'mystery' } });
    expect(output.recommendations[0]).toMatchObject({ genre: 'mystery', language: 'en', fallback: true });
    expect(titles('mystery', 'en')).toContain(output.recommendations[0]?.title);
    expect(logs.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      'Odd\'s favouriteGenre "poetry" is not one of fantasy, mystery, science-fiction, classics; using mystery',
      "Odd's locale attribute is not text; using the fallback",
    ]);
  });

  it('recommends for every user when the job does not run per user', async () => {
    const { output } = await runActionForTest(recommend, { users: [ada, grace] });
    expect(output.recommendations.map((item) => item.userId)).toEqual(['u-ada', 'u-grace']);
  });
});

describe('examples.import-records', () => {
  // One record every 60 minutes since 2026-01-01T00:00Z: records 0..24 by 2026-01-02T00:00Z.
  const until = '2026-01-02T00:00:00Z';

  it('imports everything when no run succeeded yet (since null)', async () => {
    const { output, progress, logs } = await runActionForTest(importRecords, { args: { until, batchSize: 10 } });
    expect(output).toEqual({
      source: 'demo',
      mode: 'full',
      since: null,
      until: '2026-01-02T00:00:00.000Z',
      imported: 25,
      batches: 3,
      newest: { id: 'demo-24', modified: '2026-01-02T00:00:00.000Z' },
    });
    expect(progress).toEqual([
      { done: 0, total: 25 },
      { done: 10, total: 25 },
      { done: 20, total: 25 },
      { done: 25, total: 25 },
    ]);
    expect(logs[0]?.message).toBe('full import from demo: no earlier successful run');
    expect(logs.at(-1)?.message).toBe('imported 25 records from demo in 3 batches');
  });

  it('imports only what changed after since', async () => {
    const { output, progress, logs } = await runActionForTest(importRecords, {
      args: { until, batchSize: 10 },
      since: new Date('2026-01-01T18:30:00Z'),
    });
    // Records at 19:00 … 24:00.
    expect(output).toMatchObject({ mode: 'incremental', since: '2026-01-01T18:30:00.000Z', imported: 6, batches: 1 });
    expect(output.newest).toEqual({ id: 'demo-24', modified: '2026-01-02T00:00:00.000Z' });
    expect(progress).toEqual([
      { done: 0, total: 6 },
      { done: 6, total: 6 },
    ]);
    expect(logs[0]).toEqual({
      level: 'info',
      message: 'incremental import from demo: records modified after 2026-01-01T18:30:00.000Z',
      data: { since: '2026-01-01T18:30:00.000Z', until: '2026-01-02T00:00:00.000Z', records: 6 },
    });
  });

  it('does not import a record modified exactly at since again', async () => {
    const { output } = await runActionForTest(importRecords, { args: { until }, since: new Date('2026-01-01T23:00:00Z') });
    expect(output.imported).toBe(1);
  });

  it('imports nothing, with a warning, when since is after until', async () => {
    const { output, logs } = await runActionForTest(importRecords, { args: { until }, since: new Date('2026-02-01T00:00:00Z') });
    expect(output).toMatchObject({ imported: 0, batches: 0, newest: null });
    expect(logs.map((line) => line.level)).toEqual(['info', 'warn', 'info']);
  });

  it('stops between batches when the run is cancelled', async () => {
    const cancel = new AbortController();
    const reports: number[] = [];
    const run = runActionForTest(importRecords, {
      args: { until, batchSize: 5 },
      signal: cancel.signal,
      onProgress: (done) => {
        reports.push(done);
        if (done === 10) cancel.abort(new Error('cancelled by admin'));
      },
    });
    await expect(run).rejects.toThrow('cancelled by admin');
    // Two batches done, none started after the cancel.
    expect(reports).toEqual([0, 5, 10]);
  });

  it('gives up a slow fetch at once when cancelled while waiting', async () => {
    const cancel = new AbortController();
    const run = runActionForTest(importRecords, {
      args: { until, batchDelayMs: 60_000 },
      signal: cancel.signal,
      // progress(0, total) comes right before the first (60 s) fetch: cancel once the action is waiting in it.
      onProgress: () => setImmediate(() => cancel.abort(new Error('cancelled while waiting'))),
    });
    await expect(run).rejects.toThrow('cancelled while waiting');
  });

  it('rejects an until that is not an ISO date-time', async () => {
    await expect(runActionForTest(importRecords, { args: { until: 'yesterday' } })).rejects.toBeInstanceOf(ActionArgsError);
  });
});

describe('examples.noop', () => {
  it('returns null, writing the log lines it was asked for', async () => {
    expect(await runActionForTest(noop)).toEqual({ output: null, logs: [], progress: [] });
    const { logs } = await runActionForTest(noop, { args: { logLines: 2 } });
    expect(logs).toEqual([
      { level: 'info', message: 'noop line 1' },
      { level: 'info', message: 'noop line 2' },
    ]);
  });
});
