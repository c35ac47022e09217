// Calendars over the real HTTP API: create, read, update and delete a calendar (refused input names its field and
// changes nothing), attach calendars to a job with a blackout policy, the job's next runs marked as skipped or
// moved, and "pause until" with its audit record, and kept through jobs as code (export → import).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { clockTimer } from '../support/engine.js';

let api: TestApi;
// A whole server (migrations, actions, HTTP) starts first; on a loaded machine that takes longer than a test.
beforeAll(async () => {
  api = await startTestApi();
}, 300_000);
afterAll(() => api?.close());

const CREATE_CALENDAR = /* GraphQL */ `mutation C($input: CalendarInput!) { createCalendar(input: $input) {
  __typename ... on MutationCreateCalendarSuccess { calendar { id name timezone blackoutForAllJobs entries { kind label from to days startTime endTime month day } } }
  ... on ValidationError { fieldErrors { field message } } } }`;

type Created = { createCalendar: { __typename: string; calendar?: { id: string; entries: unknown[] }; fieldErrors?: Array<{ field: string; message: string }> } };

async function job(name: string, cron: string): Promise<string> {
  const result = await api.gql<{ createJob: { job: { id: string } } }>(
    `mutation C($input: CreateJobInput!) { createJob(input: $input) { ... on MutationCreateJobSuccess { job { id } } } }`,
    { input: { name, action: 'examples.noop', schedules: [{ kind: 'CRON', cron, timezone: 'Europe/Berlin' }] } },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.createJob.job.id;
}

describe('calendars API', () => {
  it('refuses bad input naming each field, and creates nothing', async () => {
    const refused = await api.gql<Created>(CREATE_CALENDAR, {
      input: { name: ' ', timezone: 'Mars/Olympus', entries: [{ kind: 'WEEKLY', days: [], startTime: '22:00', endTime: '6:00' }, { kind: 'YEARLY', month: 13 }] },
    });
    expect(refused.errors).toBeUndefined();
    expect(refused.data?.createCalendar.__typename).toBe('ValidationError');
    expect(refused.data?.createCalendar.fieldErrors?.map((error) => error.field)).toEqual([
      'name',
      'timezone',
      'entries[0].days',
      'entries[0].endTime',
      'entries[1].month',
    ]);
    const listed = await api.gql<{ calendars: unknown[] }>('{ calendars { id } }');
    expect(listed.data?.calendars).toEqual([]);
  });

  it('creates, reads, updates a calendar; a duplicate name is refused on its field', async () => {
    const created = await api.gql<Created>(CREATE_CALENDAR, {
      input: {
        name: 'Nights',
        timezone: 'Europe/Berlin',
        entries: [{ kind: 'WEEKLY', label: 'overnight', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '22:00', endTime: '06:00' }],
      },
    });
    const calendar = created.data!.createCalendar.calendar!;
    expect(calendar).toMatchObject({
      name: 'Nights',
      timezone: 'Europe/Berlin',
      blackoutForAllJobs: false,
      entries: [{ kind: 'WEEKLY', label: 'overnight', from: null, to: null, days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '22:00', endTime: '06:00', month: null, day: null }],
    });
    const duplicate = await api.gql<Created>(CREATE_CALENDAR, { input: { name: 'Nights', entries: [] } });
    expect(duplicate.data?.createCalendar.fieldErrors).toEqual([{ field: 'name', message: 'a calendar named "Nights" exists already; calendars have unique names' }]);

    const updated = await api.gql<{ updateCalendar: { calendar: { entries: Array<{ kind: string; month: number; day: number }> } } }>(
      `mutation U($id: ID!, $input: CalendarInput!) { updateCalendar(id: $id, input: $input) { ... on MutationUpdateCalendarSuccess { calendar { entries { kind month day } } } } }`,
      { id: calendar.id, input: { name: 'Nights', timezone: 'Europe/Berlin', entries: [{ kind: 'YEARLY', month: 12, day: 25 }] } },
    );
    expect(updated.data?.updateCalendar.calendar.entries).toEqual([{ kind: 'YEARLY', month: 12, day: 25 }]);
  });

  it("attaches calendars to a job; its next runs say which are skipped or moved and why", async () => {
    const nights = await api.gql<Created>(CREATE_CALENDAR, {
      input: { name: 'Quiet hours', timezone: 'Europe/Berlin', entries: [{ kind: 'WEEKLY', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '22:00', endTime: '06:00' }] },
    });
    const calendarId = nights.data!.createCalendar.calendar!.id;
    const jobId = await job('every three hours', '0 */3 * * *');
    const SET = `mutation S($jobId: ID!, $input: JobCalendarsInput!) { setJobCalendars(jobId: $jobId, input: $input) {
      __typename ... on MutationSetJobCalendarsSuccess { job { blackoutPolicy calendars { mode calendar { name } } } }
      ... on ValidationError { fieldErrors { field message } } } }`;
    const refused = await api.gql<{ setJobCalendars: { fieldErrors: Array<{ field: string }> } }>(SET, {
      jobId,
      input: { calendars: [{ calendarId: '00000000-0000-4000-8000-000000000000', mode: 'NEVER_INSIDE' }] },
    });
    expect(refused.data?.setJobCalendars.fieldErrors.map((error) => error.field)).toEqual(['calendars[0].calendarId']);

    const set = await api.gql<{ setJobCalendars: { job: unknown } }>(SET, { jobId, input: { blackoutPolicy: 'SKIP', calendars: [{ calendarId, mode: 'NEVER_INSIDE' }] } });
    expect(set.data?.setJobCalendars.job).toEqual({ blackoutPolicy: 'SKIP', calendars: [{ mode: 'NEVER_INSIDE', calendar: { name: 'Quiet hours' } }] });

    type Upcoming = { job: { upcomingRuns: Array<{ at: string; skipped: boolean; movedFrom: string | null; calendarReason: string | null }> } };
    const UPCOMING = `{ job(id: "${jobId}") { upcomingRuns(count: 8) { at skipped movedFrom calendarReason } } }`;
    const skipping = (await api.gql<Upcoming>(UPCOMING)).data!.job.upcomingRuns;
    const hour = (at: string) => Number(new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }));
    expect(skipping).toHaveLength(8);
    for (const slot of skipping) {
      const inside = hour(slot.at) >= 22 || hour(slot.at) < 6;
      expect(slot.skipped).toBe(inside);
      expect(slot.calendarReason).toBe(inside ? 'inside blackout calendar "Quiet hours"' : null);
    }

    await api.gql(SET, { jobId, input: { blackoutPolicy: 'MOVE', calendars: [{ calendarId, mode: 'NEVER_INSIDE' }] } });
    const moving = (await api.gql<Upcoming>(UPCOMING)).data!.job.upcomingRuns;
    expect(moving.every((slot) => !slot.skipped)).toBe(true);
    const moved = moving.filter((slot) => slot.movedFrom);
    expect(moved.length).toBeGreaterThan(0);
    for (const slot of moved) {
      // The night's slots (00:00 and 03:00) become one run at 06:00.
      expect(hour(slot.at)).toBe(6);
      expect(slot.calendarReason).toMatch(/^moved from .*: the slot was inside blackout calendar "Quiet hours"$/);
    }
    expect(moving.filter((slot) => [0, 3].includes(hour(slot.at)))).toEqual([]);

    const deleted = await api.gql<{ deleteCalendar: { __typename: string; message?: string } }>(
      `mutation { deleteCalendar(id: "${calendarId}") { __typename ... on ConflictError { message } } }`,
    );
    expect(deleted.data?.deleteCalendar).toEqual({ __typename: 'ConflictError', message: 'calendar "Quiet hours" is attached to "every three hours"; detach it from those jobs first' });
  });

  it('pauses a job until a time; the pause is audited; a past time is refused on its field', async () => {
    const jobId = await job('paused over the holidays', '0 9 * * *');
    const PAUSE = `mutation P($id: ID!, $until: DateTime!) { pauseJobUntil(id: $id, until: $until) {
      __typename ... on MutationPauseJobUntilSuccess { job { enabled pausedUntil nextRunAt } } ... on ValidationError { fieldErrors { field } } } }`;
    const past = await api.gql<{ pauseJobUntil: { __typename: string; fieldErrors: unknown[] } }>(PAUSE, { id: jobId, until: '2020-01-01T00:00:00Z' });
    expect(past.data?.pauseJobUntil).toEqual({ __typename: 'ValidationError', fieldErrors: [{ field: 'until' }] });
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const paused = await api.gql<{ pauseJobUntil: { job: unknown } }>(PAUSE, { id: jobId, until });
    expect(paused.data?.pauseJobUntil.job).toEqual({ enabled: false, pausedUntil: until, nextRunAt: null });
    const audit = await api.gql<{ auditEvents: { edges: Array<{ node: { action: string; targetId: string; outcome: string } }> } }>(
      `{ auditEvents(first: 5) { edges { node { action targetId outcome } } } }`,
    );
    expect(audit.data?.auditEvents.edges.map((edge) => edge.node)).toContainEqual({ action: 'pauseJobUntil', targetId: jobId, outcome: 'SUCCESS' });
  });

  it('jobs as code: calendars and a job\'s attachments import, export and re-import unchanged; an unknown name is refused on its path', async () => {
    const IMPORT = `mutation I($document: String!) { importDefinitions(document: $document, format: YAML) {
      __typename ... on MutationImportDefinitionsSuccess { summary { calendars { created updated unchanged } jobs { created updated unchanged } } }
      ... on ValidationError { fieldErrors { field message } } } }`;
    const document = [
      'calendars:',
      '  - name: Office hours',
      '    timezone: America/New_York',
      '    entries:',
      '      - { kind: WEEKLY, label: Weekdays, days: [MON, TUE, WED, THU, FRI], startTime: "09:00", endTime: "17:00" }',
      '      - { kind: YEARLY, label: Independence Day, month: 7, day: 4 }',
      'jobs:',
      '  - key: office-ping',
      '    name: Office ping',
      '    action: examples.noop',
      '    schedules: [{ kind: INTERVAL, intervalSeconds: 3600 }]',
      '    calendars: [{ calendar: Office hours, mode: ONLY_INSIDE }]',
      '    blackoutPolicy: MOVE',
      '',
    ].join('\n');
    type Summary = { importDefinitions: { __typename: string; summary?: Record<string, { created: string[]; updated: string[]; unchanged: string[] }>; fieldErrors?: Array<{ field: string; message: string }> } };
    const first = await api.gql<Summary>(IMPORT, { document });
    expect(first.data?.importDefinitions.summary).toEqual({
      calendars: { created: ['Office hours'], updated: [], unchanged: [] },
      jobs: { created: ['office-ping'], updated: [], unchanged: [] },
    });
    const again = await api.gql<Summary>(IMPORT, { document });
    expect(again.data?.importDefinitions.summary).toEqual({
      calendars: { created: [], updated: [], unchanged: ['Office hours'] },
      jobs: { created: [], updated: [], unchanged: ['office-ping'] },
    });

    const exported = await api.gql<{ exportDefinitions: { data: { text: string } } }>(
      `{ exportDefinitions(format: YAML, jobKeys: ["office-ping"]) { ... on QueryExportDefinitionsSuccess { data { text } } } }`,
    );
    const text = exported.data!.exportDefinitions.data.text;
    expect(text).toContain('calendars:\n  - name: Office hours\n    timezone: America/New_York\n');
    expect(text).toContain('    calendars:\n      - calendar: Office hours\n        mode: ONLY_INSIDE\n    blackoutPolicy: MOVE\n');
    const roundTrip = await api.gql<Summary>(IMPORT, { document: text });
    expect(roundTrip.data?.importDefinitions.summary?.jobs).toEqual({ created: [], updated: [], unchanged: ['office-ping'] });

    const unknown = await api.gql<Summary>(IMPORT, { document: document.replace('calendar: Office hours, mode', 'calendar: Nowhere, mode') });
    expect(unknown.data?.importDefinitions.fieldErrors).toEqual([
      { field: 'jobs[0].calendars[0].calendar', message: 'no calendar named "Nowhere": declare it under calendars: or create it first' },
    ]);
  });

  it('a job paused until a time keeps its pause through export → import; bad times are refused at their path', async () => {
    const jobId = await job('Paused as code', '0 12 * * *');
    const until = new Date(Date.now() + 3 * 86_400_000);
    until.setUTCMilliseconds(0);
    const key = await api.gql<{ updateJob: { __typename: string } }>(
      `mutation U($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) { __typename } }`,
      { id: jobId, input: { key: 'paused-as-code' } },
    );
    expect(key.data?.updateJob.__typename).toBe('MutationUpdateJobSuccess');
    const paused = await api.gql(`mutation P($id: ID!, $until: DateTime!) { pauseJobUntil(id: $id, until: $until) { __typename } }`, { id: jobId, until: until.toISOString() });
    expect(paused.errors).toBeUndefined();
    const state = async (id: string) => {
      const row = await api.app.database.prisma.job.findUniqueOrThrow({ where: { id } });
      const timer = await clockTimer(api.app.database.pool, id);
      return { enabled: row.enabled, pausedUntil: row.pausedUntil?.toISOString(), nextRunAt: row.nextRunAt, timer: timer?.toISOString() };
    };
    const before = await state(jobId);
    expect(before).toEqual({ enabled: false, pausedUntil: until.toISOString(), nextRunAt: null, timer: until.toISOString() });

    const exported = await api.gql<{ exportDefinitions: { data: { text: string } } }>(
      `{ exportDefinitions(format: YAML, jobKeys: ["paused-as-code"]) { ... on QueryExportDefinitionsSuccess { data { text } } } }`,
    );
    const text = exported.data!.exportDefinitions.data.text;
    expect(text).toContain('    enabled: false\n');
    expect(text).toContain(`    pausedUntil: ${until.toISOString()}\n`);

    const IMPORT = `mutation I($document: String!) { importDefinitions(document: $document, format: YAML) {
      __typename ... on MutationImportDefinitionsSuccess { summary { jobs { created updated unchanged } } }
      ... on ValidationError { fieldErrors { field message } } } }`;
    type Imported = { importDefinitions: { __typename: string; summary?: { jobs: unknown }; fieldErrors?: Array<{ field: string; message: string }> } };
    // The same install: nothing to do.
    const same = await api.gql<Imported>(IMPORT, { document: text });
    expect(same.data?.importDefinitions.summary?.jobs).toEqual({ created: [], updated: [], unchanged: ['paused-as-code'] });

    // Another install (here: the job gone): the import makes it again, paused until the same time, its timer then.
    const deleted = await api.gql(`mutation X($id: ID!) { deleteJob(id: $id) { __typename } }`, { id: jobId });
    expect(deleted.errors).toBeUndefined();
    const imported = await api.gql<Imported>(IMPORT, { document: text });
    expect(imported.data?.importDefinitions.summary?.jobs).toEqual({ created: ['paused-as-code'], updated: [], unchanged: [] });
    const recreated = await api.app.database.prisma.job.findUniqueOrThrow({ where: { key: 'paused-as-code' } });
    expect(await state(recreated.id)).toEqual(before);

    // A later end moves the pause; the document's time wins over the stored one.
    const later = new Date(until.getTime() + 86_400_000);
    const moved = await api.gql<Imported>(IMPORT, { document: text.replace(until.toISOString(), later.toISOString()) });
    expect(moved.data?.importDefinitions.summary?.jobs).toEqual({ created: [], updated: ['paused-as-code'], unchanged: [] });
    expect(await state(recreated.id)).toMatchObject({ enabled: false, pausedUntil: later.toISOString(), timer: later.toISOString() });

    const refused = async (pausedUntil: string, enabled = 'false') =>
      (await api.gql<Imported>(IMPORT, { document: text.replace(`pausedUntil: ${until.toISOString()}`, `pausedUntil: "${pausedUntil}"`).replace('enabled: false', `enabled: ${enabled}`) })).data
        ?.importDefinitions.fieldErrors;
    expect(await refused('2030-01-07T08:00:00')).toEqual([
      { field: 'jobs[0].pausedUntil', message: 'must be a date and time with its offset, e.g. 2026-12-24T18:00:00+01:00 or 2026-12-24T17:00:00Z' },
    ]);
    expect(await refused(later.toISOString(), 'true')).toEqual([
      { field: 'jobs[0].pausedUntil', message: 'a job paused until a time is disabled until then: leave enabled out or set it to false' },
    ]);
    // Refused documents change nothing.
    expect(await state(recreated.id)).toMatchObject({ pausedUntil: later.toISOString() });

    // A pause already over (an old export, a sundial.yaml kept past its time) is not refused: the job is enabled.
    const over = await api.gql<Imported>(IMPORT, { document: text.replace(until.toISOString(), '2020-01-07T08:00:00+01:00') });
    expect(over.data?.importDefinitions.summary?.jobs).toEqual({ created: [], updated: ['paused-as-code'], unchanged: [] });
    expect(await state(recreated.id)).toMatchObject({ enabled: true, pausedUntil: undefined });
  });

  it('createJob and updateJob attach calendars with the job in one transaction; a bad id changes nothing', async () => {
    const made = await api.gql<Created>(CREATE_CALENDAR, { input: { name: 'Form calendar', timezone: 'UTC', entries: [{ kind: 'YEARLY', month: 1, day: 1 }] } });
    const calendarId = made.data!.createCalendar.calendar!.id;
    const missing = '00000000-0000-4000-8000-000000000000';
    const CREATE = `mutation C($input: CreateJobInput!) { createJob(input: $input) {
      __typename ... on MutationCreateJobSuccess { job { id name blackoutPolicy calendars { mode calendar { id } } } }
      ... on ValidationError { fieldErrors { field message } } } }`;
    type Saved = { __typename: string; job?: { id: string; name: string; blackoutPolicy: string; calendars: unknown[] }; fieldErrors?: Array<{ field: string; message: string }> };
    const jobCount = () => api.app.database.prisma.job.count({ where: { name: { startsWith: 'With calendars' } } });

    // Refused: the job's own problem and the calendar's, together; no job is made.
    const refused = await api.gql<{ createJob: Saved }>(CREATE, {
      input: { name: 'With calendars', action: 'examples.noop', retries: -1, calendars: [{ calendarId: missing, mode: 'NEVER_INSIDE' }] },
    });
    expect(refused.data?.createJob.__typename).toBe('ValidationError');
    expect(refused.data?.createJob.fieldErrors?.map((error) => error.field)).toEqual(['retries', 'calendars[0].calendarId']);
    const unknownOnly = await api.gql<{ createJob: Saved }>(CREATE, {
      input: { name: 'With calendars', action: 'examples.noop', calendars: [{ calendarId: missing, mode: 'NEVER_INSIDE' }] },
    });
    expect(unknownOnly.data?.createJob.fieldErrors).toEqual([{ field: 'calendars[0].calendarId', message: `no calendar with id ${missing}` }]);
    expect(await jobCount()).toBe(0);

    const created = await api.gql<{ createJob: Saved }>(CREATE, {
      input: { name: 'With calendars', action: 'examples.noop', blackoutPolicy: 'MOVE', calendars: [{ calendarId, mode: 'ONLY_INSIDE' }] },
    });
    const job = created.data!.createJob.job!;
    expect(job).toMatchObject({ name: 'With calendars', blackoutPolicy: 'MOVE', calendars: [{ mode: 'ONLY_INSIDE', calendar: { id: calendarId } }] });

    const UPDATE = `mutation U($id: ID!, $input: UpdateJobInput!) { updateJob(id: $id, input: $input) {
      __typename ... on MutationUpdateJobSuccess { job { id name blackoutPolicy calendars { mode calendar { id } } } }
      ... on ValidationError { fieldErrors { field message } } } }`;
    // A rename with a bad calendar: neither is saved.
    const bad = await api.gql<{ updateJob: Saved }>(UPDATE, {
      id: job.id,
      input: { name: 'With calendars, renamed', calendars: [{ calendarId, mode: 'NEVER_INSIDE' }, { calendarId, mode: 'ONLY_INSIDE' }] },
    });
    expect(bad.data?.updateJob.fieldErrors).toEqual([{ field: 'calendars[1].calendarId', message: 'this calendar is listed twice; attach each calendar once' }]);
    const unchanged = await api.app.database.prisma.job.findUniqueOrThrow({ where: { id: job.id }, include: { calendars: true } });
    expect(unchanged).toMatchObject({ name: 'With calendars', blackoutPolicy: 'MOVE', calendars: [{ calendarId, mode: 'ONLY_INSIDE' }] });

    // The policy alone keeps the calendars; an empty list detaches them; calendars left out stay.
    const policy = await api.gql<{ updateJob: Saved }>(UPDATE, { id: job.id, input: { blackoutPolicy: 'SKIP' } });
    expect(policy.data?.updateJob.job).toMatchObject({ blackoutPolicy: 'SKIP', calendars: [{ mode: 'ONLY_INSIDE', calendar: { id: calendarId } }] });
    const renamed = await api.gql<{ updateJob: Saved }>(UPDATE, { id: job.id, input: { name: 'With calendars, renamed' } });
    expect(renamed.data?.updateJob.job).toMatchObject({ name: 'With calendars, renamed', calendars: [{ mode: 'ONLY_INSIDE' }] });
    const detached = await api.gql<{ updateJob: Saved }>(UPDATE, { id: job.id, input: { calendars: [] } });
    expect(detached.data?.updateJob.job).toMatchObject({ calendars: [] });
  });
});
