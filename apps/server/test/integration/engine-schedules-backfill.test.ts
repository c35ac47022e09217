// Several schedules per job and backfills on a real engine: each schedule's runs name it and carry its args, the
// job's next run is the earliest, a slot fires once per (job, schedule, slot), a schedule at its limit stops alone;
// a backfill's preview and count, its runs in slot order under the overlap policy, cancelling it whole; every
// refused input names its field and changes nothing.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackfillService } from '../../src/services/backfills.js';
import { ValidationError } from '../../src/services/errors.js';
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
  defineAction({
    name: 'test.slow',
    description: 'Takes args.ms milliseconds.',
    args: z.object({ ms: z.number().int() }),
    run: ({ args, signal }) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, args.ms);
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      }),
  }),
];

let t: TestEngine;
let backfills: BackfillService;

beforeAll(async () => {
  t = await startTestEngine(actions);
  backfills = new BackfillService({ prisma: t.prisma, engine: t.engine.run });
});

afterAll(async () => {
  await t?.close();
});

async function refusal(work: () => Promise<unknown>): Promise<Array<{ field: string; message: string }>> {
  const error = await work().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
}

const schedulesOf = (jobId: string) => t.prisma.jobSchedule.findMany({ where: { jobId }, orderBy: { position: 'asc' } });

describe('several schedules per job', () => {
  it("each schedule's runs name it and carry its args; the job's next run is the earliest; a slot fires once", async () => {
    const job = await t.engine.jobs.create({
      name: 'two a day',
      action: 'test.greet',
      args: { greeting: 'hello' },
      schedules: [
        { label: 'Evening', scheduleKind: 'CRON', cron: '0 18 * * *', timezone: 'UTC' },
        { label: 'Morning', scheduleKind: 'CRON', cron: '0 9 * * *', timezone: 'UTC', args: { greeting: 'good morning' } },
      ],
    });
    const [evening, morning] = await schedulesOf(job.id);
    expect(evening?.label).toBe('Evening');
    const earliest = [evening!.nextRunAt!, morning!.nextRunAt!].sort((a, b) => a.getTime() - b.getTime())[0]!;
    expect(job.nextRunAt?.toISOString()).toBe(earliest.toISOString());

    // Fire the morning slot by hand (its timer is hours away): only that schedule fires.
    const slot = morning!.nextRunAt!;
    await t.prisma.job.update({ where: { id: job.id }, data: { nextRunAt: slot } });
    await t.prisma.jobSchedule.update({ where: { id: evening!.id }, data: { nextRunAt: new Date(slot.getTime() + 3600_000) } });
    const firing = await t.engine.run.occurrences.fireDue(job.id, slot);
    expect(firing?.runs).toHaveLength(1);
    const run = firing!.runs[0]!;
    expect(run).toMatchObject({
      trigger: 'SCHEDULE',
      scheduleId: morning!.id,
      args: { greeting: 'good morning' },
      occurrenceKey: `${job.id}@${morning!.id}@${slot.toISOString()}`,
    });
    expect(run.scheduledFor.toISOString()).toBe(slot.toISOString());
    const after = await schedulesOf(job.id);
    expect(after[1]).toMatchObject({ runCount: 1, enabled: true });
    expect(after[1]!.nextRunAt!.getTime()).toBe(slot.getTime() + 24 * 3600_000);
    expect(firing!.job.nextRunAt?.toISOString()).toBe(new Date(slot.getTime() + 3600_000).toISOString());

    // A second worker firing the same slot adds nothing (the occurrence key is unique per job, schedule and slot).
    await t.prisma.jobSchedule.update({ where: { id: morning!.id }, data: { nextRunAt: slot } });
    await t.prisma.job.update({ where: { id: job.id }, data: { nextRunAt: slot } });
    const again = await t.engine.run.occurrences.fireDue(job.id, slot);
    expect(again?.runs).toEqual([]);
    expect(await t.prisma.run.count({ where: { jobId: job.id } })).toBe(1);
    await t.engine.jobs.setEnabled(job.id, false);
  });

  it('a schedule that used its one run is disabled with the reason; the job goes on with the others', async () => {
    const runAt = new Date(Date.now() + 3600_000);
    const job = await t.engine.jobs.create({
      name: 'once and yearly',
      action: 'test.greet',
      args: { greeting: 'hi' },
      schedules: [
        { scheduleKind: 'ONCE', runAt: runAt.toISOString() },
        { scheduleKind: 'CRON', cron: '0 0 1 1 *', timezone: 'UTC' },
      ],
    });
    expect(job.nextRunAt?.toISOString()).toBe(runAt.toISOString());
    const firing = await t.engine.run.occurrences.fireDue(job.id, runAt);
    expect(firing?.job.enabled).toBe(true);
    const [once, yearly] = await schedulesOf(job.id);
    expect(once).toMatchObject({ enabled: false, disabledReason: 'its one scheduled run has started', nextRunAt: null });
    expect(firing?.job.nextRunAt?.toISOString()).toBe(yearly!.nextRunAt!.toISOString());
    await t.engine.jobs.setEnabled(job.id, false);
  });

  it('an update keeps a schedule given with its id and timing (run count, runs) and replaces the rest', async () => {
    const job = await t.engine.jobs.create({
      name: 'editable',
      action: 'test.greet',
      args: { greeting: 'hi' },
      schedules: [
        { scheduleKind: 'INTERVAL', intervalSeconds: 86_400, startAt: new Date(Date.now() + 86_400_000).toISOString() },
        { scheduleKind: 'CRON', cron: '0 7 * * *' },
      ],
    });
    const [daily, seven] = await schedulesOf(job.id);
    await t.prisma.jobSchedule.update({ where: { id: daily!.id }, data: { runCount: 4 } });
    await t.engine.jobs.update(job.id, {
      schedules: [
        { id: daily!.id, scheduleKind: 'INTERVAL', intervalSeconds: 86_400, startAt: daily!.startAt, label: 'Daily' },
        { scheduleKind: 'ONCE', runAt: new Date(Date.now() + 7200_000).toISOString() },
      ],
    });
    const after = await schedulesOf(job.id);
    expect(after).toHaveLength(2);
    expect(after[0]).toMatchObject({ id: daily!.id, runCount: 4, label: 'Daily' });
    expect(after[1]).toMatchObject({ scheduleKind: 'ONCE', runCount: 0 });
    expect(after.some((row) => row.id === seven!.id)).toBe(false);
    await t.engine.jobs.delete(job.id);
  });

  it('refuses a bad list naming each entry, and changes nothing', async () => {
    const job = await t.engine.jobs.create({
      name: 'guarded',
      action: 'test.greet',
      args: { greeting: 'hi' },
      schedules: [{ scheduleKind: 'CRON', cron: '0 9 * * *' }],
    });
    const before = await schedulesOf(job.id);
    const errors = await refusal(() =>
      t.engine.jobs.update(job.id, {
        schedules: [
          { scheduleKind: 'CRON', cron: '61 * * * *' },
          { id: '00000000-0000-4000-8000-000000000000', scheduleKind: 'INTERVAL', intervalSeconds: 60 },
          { scheduleKind: 'INTERVAL', intervalSeconds: 60, args: { greeting: 5 } },
          { scheduleKind: 'MANUAL' },
        ],
      }),
    );
    expect(errors.map((error) => error.field)).toEqual(
      expect.arrayContaining(['schedules[0].cron', 'schedules[1].id', 'schedules[2].args.greeting', 'schedules[3].scheduleKind']),
    );
    const both = await refusal(() =>
      t.engine.jobs.update(job.id, { schedule: { scheduleKind: 'CRON', cron: '0 1 * * *' }, schedules: [] }),
    );
    expect(both).toEqual([{ field: 'schedules', message: expect.stringContaining('not both') }]);
    expect(await schedulesOf(job.id)).toEqual(before);
    await t.engine.jobs.delete(job.id);
  });
});

describe('backfill', () => {
  const day = new Date('2026-11-02T00:00:00Z');
  const at = (hours: number, minutes = 0) => new Date(day.getTime() + hours * 3600_000 + minutes * 60_000);

  it('previews the slots of every schedule with their count, then runs them one at a time in slot order', async () => {
    const job = await t.engine.jobs.create({
      name: 'backfilled',
      action: 'test.greet',
      args: { greeting: 'then' },
      schedules: [
        { label: 'Every 3 hours', scheduleKind: 'CRON', cron: '0 */3 * * *' },
        { label: 'Noon', scheduleKind: 'CRON', cron: '30 12 * * *', args: { greeting: 'noon' } },
      ],
    });
    const range = { jobId: job.id, from: at(2, 30), to: at(12, 30) };
    const preview = await backfills.preview(range);
    expect(preview).toMatchObject({ count: 5, more: false });
    expect(preview.slots.map((slot) => [slot.at.toISOString(), slot.schedule.label])).toEqual([
      [at(3).toISOString(), 'Every 3 hours'],
      [at(6).toISOString(), 'Every 3 hours'],
      [at(9).toISOString(), 'Every 3 hours'],
      [at(12).toISOString(), 'Every 3 hours'],
      [at(12, 30).toISOString(), 'Noon'],
    ]);

    const { backfill, runs } = await backfills.start(range, null);
    expect(backfill.slotCount).toBe(5);
    expect(runs.every((run) => run.trigger === 'BACKFILL' && run.backfillId === backfill.id)).toBe(true);
    const done = await waitFor(async () => {
      const all = await t.prisma.run.findMany({ where: { backfillId: backfill.id }, orderBy: { scheduledFor: 'asc' } });
      return all.length === 5 && all.every((run) => run.status === 'SUCCEEDED') ? all : null;
    }, 60_000, 'the backfill to finish');
    expect(done.map((run) => run.scheduledFor.toISOString())).toEqual(preview.slots.map((slot) => slot.at.toISOString()));
    expect(done[4]!.args).toEqual({ greeting: 'noon' });
    // Overlap policy SKIP: one at a time, in slot order. (startedAt is the claim; a run claimed while the one before
    // it ends checks again before its action starts, so each action's log line comes after the previous run ended.)
    const lines = await t.prisma.runLogLine.findMany({ where: { runId: { in: done.map((run) => run.id) } } });
    const loggedAt = new Map(lines.map((line) => [line.runId, line.time.getTime()]));
    for (let index = 1; index < done.length; index += 1) {
      expect(loggedAt.get(done[index]!.id)).toBeGreaterThanOrEqual(done[index - 1]!.finishedAt!.getTime());
    }
    await t.engine.jobs.delete(job.id);
  });

  it('cancels a backfill as a whole', async () => {
    const job = await t.engine.jobs.create({
      name: 'slow backfill',
      action: 'test.slow',
      args: { ms: 30_000 },
      schedules: [{ scheduleKind: 'CRON', cron: '0 * * * *' }],
    });
    const { backfill } = await backfills.start({ jobId: job.id, from: at(0), to: at(5) }, null);
    expect(backfill.slotCount).toBe(6);
    await waitFor(() => t.prisma.run.findFirst({ where: { backfillId: backfill.id, status: 'RUNNING' } }), 20_000, 'a running run');
    const { cancelled } = await backfills.cancel(backfill.id);
    expect(cancelled).toBe(6);
    await waitFor(async () => {
      const left = await t.prisma.run.count({ where: { backfillId: backfill.id, status: { notIn: ['CANCELLED'] } } });
      return left === 0;
    }, 20_000, 'every run cancelled');
    expect((await t.prisma.backfill.findUniqueOrThrow({ where: { id: backfill.id } })).cancelledAt).not.toBeNull();
    await t.engine.jobs.delete(job.id);
  });

  it('refuses a bad range naming its field, and starts nothing', async () => {
    const job = await t.engine.jobs.create({
      name: 'every minute',
      action: 'test.greet',
      args: { greeting: 'x' },
      schedules: [{ scheduleKind: 'CRON', cron: '* * * * *' }],
    });
    const future = new Date(Date.now() + 86_400_000);
    expect(await refusal(() => backfills.preview({ jobId: job.id, from: at(0), to: future }))).toEqual([
      { field: 'to', message: expect.stringContaining('future') },
    ]);
    expect(await refusal(() => backfills.preview({ jobId: job.id, from: at(5), to: at(1) }))).toEqual([
      { field: 'to', message: 'must be after from' },
    ]);
    expect(await refusal(() => backfills.preview({ jobId: job.id, from: at(0), to: at(1), scheduleIds: ['nope'] }))).toEqual([
      { field: 'scheduleIds[0]', message: 'no schedule nope on this job' },
    ]);
    const large = { jobId: job.id, from: at(0), to: at(48) };
    expect(await backfills.preview(large)).toMatchObject({ count: 1000, more: true });
    expect(await refusal(() => backfills.start(large, null))).toEqual([{ field: 'to', message: expect.stringContaining('more than 1000 slots') }]);
    const manual = await t.engine.jobs.create({ name: 'by hand', action: 'test.greet', args: { greeting: 'x' } });
    expect(await refusal(() => backfills.preview({ jobId: manual.id, from: at(0), to: at(1) }))).toEqual([
      { field: 'jobId', message: expect.stringContaining('no schedules') },
    ]);
    expect(await t.prisma.backfill.count({ where: { jobId: { in: [job.id, manual.id] } } })).toBe(0);
    await t.engine.jobs.delete(job.id);
    await t.engine.jobs.delete(manual.id);
  });
});
