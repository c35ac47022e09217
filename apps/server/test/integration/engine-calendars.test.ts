// Calendars on a real engine: a slot a blackout covers becomes a SKIPPED run naming the calendar (policy SKIP), or
// one run at the end of the window (MOVE; the slots inside it become that run); a slot outside an only-inside
// calendar likewise; a blackout for all jobs covers a job that attaches nothing; "pause until" re-enables the job at
// that time on its own timer, audited as Sundial's act.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarService } from '../../src/services/calendars.js';
import { startTestEngine, waitFor, type TestEngine } from '../support/engine.js';

const actions = [
  defineAction({
    name: 'test.greet',
    description: 'Logs its greeting.',
    args: z.object({ greeting: z.string() }),
    run: ({ args, log }) => {
      log.info(args.greeting);
      return { greeting: args.greeting };
    },
  }),
];

let t: TestEngine;
let calendars: CalendarService;

// A whole engine (database, migrations, Agenda) starts first; on a loaded machine that takes longer than a test.
beforeAll(async () => {
  t = await startTestEngine(actions);
  calendars = new CalendarService({ db: t.prisma, bus: t.bus });
}, 300_000);

afterAll(async () => {
  await t?.close();
});

const day = (instant: Date) => instant.toISOString().slice(0, 10);
const nextDay = (instant: Date) => new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() + 1));

/** A job firing every day at 12:00 UTC, and its one schedule. */
async function noonJob(name: string) {
  const job = await t.engine.jobs.create({ name, action: 'test.greet', args: { greeting: 'hi' }, schedules: [{ scheduleKind: 'CRON', cron: '0 12 * * *', timezone: 'UTC' }] });
  const [schedule] = await t.prisma.jobSchedule.findMany({ where: { jobId: job.id } });
  return { job, schedule: schedule!, slot: schedule!.nextRunAt! };
}

describe('a slot a calendar rules out', () => {
  it('SKIP: a skipped run whose reason names the calendar; the schedule moves on to its next slot', async () => {
    const { job, schedule, slot } = await noonJob('skips the holiday');
    const holiday = await calendars.create({ name: 'Holiday (skip)', timezone: 'UTC', entries: [{ kind: 'DATE_RANGE', from: day(slot), to: day(slot) }] });
    await calendars.setJobCalendars(job.id, { calendars: [{ calendarId: holiday.id, mode: 'NEVER_INSIDE' }] });

    const firing = await t.engine.run.occurrences.fireDue(job.id, slot);
    expect(firing?.runs).toHaveLength(1);
    expect(firing!.runs[0]).toMatchObject({
      status: 'SKIPPED',
      trigger: 'SCHEDULE',
      scheduleId: schedule.id,
      statusReason: 'inside blackout calendar "Holiday (skip)"; blackout policy: skip',
    });
    expect(firing!.runs[0]!.scheduledFor.toISOString()).toBe(slot.toISOString());
    const after = await t.prisma.jobSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(after.nextRunAt?.toISOString()).toBe(new Date(slot.getTime() + 86_400_000).toISOString());
  });

  it('MOVE: no run inside the window; one run at its end, saying where it was moved from; the slots inside are gone', async () => {
    const { job, schedule, slot } = await noonJob('moves past the shutdown');
    // Two days of shutdown: the slot and the next day's slot are inside; both become one run at the end.
    const shutdown = await calendars.create({ name: 'Shutdown', timezone: 'UTC', entries: [{ kind: 'DATE_RANGE', from: day(slot), to: day(nextDay(slot)) }] });
    await calendars.setJobCalendars(job.id, { blackoutPolicy: 'MOVE', calendars: [{ calendarId: shutdown.id, mode: 'NEVER_INSIDE' }] });

    const moved = await t.engine.run.occurrences.fireDue(job.id, slot);
    expect(moved?.runs).toEqual([]);
    const end = nextDay(nextDay(slot));
    expect(moved?.job.nextRunAt?.toISOString()).toBe(end.toISOString());
    expect(await t.prisma.jobSchedule.findUniqueOrThrow({ where: { id: schedule.id } })).toMatchObject({ nextRunAt: end, movedFrom: slot });

    const fired = await t.engine.run.occurrences.fireDue(job.id, end);
    expect(fired?.runs).toHaveLength(1);
    const run = fired!.runs[0]!;
    expect(run.statusReason).toBe(`moved from ${slot.toISOString()} to ${end.toISOString()}: the slot was inside blackout calendar "Shutdown"; blackout policy: move`);
    expect(run.occurrenceKey).toBe(`${job.id}@${schedule.id}@${slot.toISOString()}`);
    expect((await t.waitForRun(run.id)).status).toBe('SUCCEEDED');
    const after = await t.prisma.jobSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(after).toMatchObject({ runCount: 1, movedFrom: null, movedReason: null });
    // 12:00 on the day the shutdown ends after: the next day's noon slot, inside the window, did not run on its own.
    expect(after.nextRunAt?.toISOString()).toBe(new Date(end.getTime() + 12 * 3_600_000).toISOString());
  });

  it('ONLY_INSIDE: a slot outside the window is skipped naming the calendar; one inside runs', async () => {
    const { job, slot } = await noonJob('mornings only');
    const mornings = await calendars.create({
      name: 'Mornings',
      timezone: 'UTC',
      entries: [{ kind: 'WEEKLY', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '06:00', endTime: '11:00' }],
    });
    await calendars.setJobCalendars(job.id, { calendars: [{ calendarId: mornings.id, mode: 'ONLY_INSIDE' }] });
    const firing = await t.engine.run.occurrences.fireDue(job.id, slot);
    expect(firing!.runs[0]).toMatchObject({ status: 'SKIPPED', statusReason: 'outside calendar "Mornings" (only inside); blackout policy: skip' });
  });

  it('a calendar flagged as a blackout for all jobs covers a job that attaches nothing', async () => {
    const { job, slot } = await noonJob('covered by the global blackout');
    const freeze = await calendars.create({ name: 'Change freeze', timezone: 'UTC', blackoutForAllJobs: true, entries: [{ kind: 'DATE_RANGE', from: day(slot), to: day(slot) }] });
    try {
      const firing = await t.engine.run.occurrences.fireDue(job.id, slot);
      expect(firing!.runs[0]).toMatchObject({ status: 'SKIPPED', statusReason: 'inside blackout calendar "Change freeze"; blackout policy: skip' });
    } finally {
      await calendars.delete(freeze.id);
    }
  });

  it('a calendar still attached cannot be deleted; the refusal names the job', async () => {
    const { job } = await noonJob('keeps its calendar');
    const kept = await calendars.create({ name: 'Attached', timezone: 'UTC', entries: [] });
    await calendars.setJobCalendars(job.id, { calendars: [{ calendarId: kept.id, mode: 'NEVER_INSIDE' }] });
    await expect(calendars.delete(kept.id)).rejects.toThrow('calendar "Attached" is attached to "keeps its calendar"; detach it from those jobs first');
  });
});

describe('pause until', () => {
  it('disables the job now and re-enables it at the time given, on its own timer, audited as Sundial', async () => {
    const { job } = await noonJob('paused briefly');
    const until = new Date(Date.now() + 1500);
    const paused = await t.engine.jobs.pauseUntil(job.id, until);
    expect(paused).toMatchObject({ enabled: false, pausedUntil: until, nextRunAt: null });

    const resumed = await waitFor(async () => {
      const row = await t.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      return row.enabled ? row : null;
    }, 20_000, 'the job re-enabled');
    expect(resumed.pausedUntil).toBeNull();
    expect(resumed.nextRunAt?.getTime()).toBeGreaterThan(until.getTime());
    const audit = await t.prisma.auditEvent.findFirst({ where: { targetId: job.id, action: 'resumeJob' } });
    expect(audit).toMatchObject({ actorKind: 'SYSTEM', actorLabel: 'sundial', outcome: 'SUCCESS', targetType: 'job' });
    expect(audit?.details).toMatchObject({ pausedUntil: until.toISOString() });
  });

  it('a time in the past is refused naming the field; enabling by hand ends the pause', async () => {
    const { job } = await noonJob('paused by hand');
    await expect(t.engine.jobs.pauseUntil(job.id, new Date(Date.now() - 1000))).rejects.toMatchObject({ errors: [{ field: 'until' }] });
    expect((await t.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).enabled).toBe(true);
    await t.engine.jobs.pauseUntil(job.id, new Date(Date.now() + 3_600_000));
    const enabled = await t.engine.jobs.setEnabled(job.id, true);
    expect(enabled).toMatchObject({ enabled: true, pausedUntil: null });
  });
});
