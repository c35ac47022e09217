// Per-user fan-out, schedules, the slot clock, limits, overlap and misfire on a real engine.
import { defineAction, z } from '@sundial/actions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/services/errors.js';
import { clockTimer, FAST_ENGINE, startTestEngine, statusIs, waitFor, type TestEngine } from '../support/engine.js';

const actions = [
  defineAction({
    name: 'test.greet',
    description: 'Greets its user; fails for users whose attributes say so.',
    args: z.object({ greeting: z.string() }),
    run: ({ args, user, users, log }) => {
      if (user?.attributes.fail) throw new Error(`cannot greet ${user.email}`);
      log.info(`${args.greeting}, ${user?.name ?? 'everyone'}`);
      return { to: user?.email ?? null, of: users.length };
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
let roleId: string;
const users: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestEngine(actions);
  const role = await t.prisma.role.create({ data: { name: 'readers' } });
  roleId = role.id;
  for (const [email, attributes, active, inRole] of [
    ['ana@example.com', {}, true, true],
    ['bo@example.com', { fail: true }, true, true],
    ['cy@example.com', {}, true, false],
    ['gone@example.com', {}, false, true],
  ] as const) {
    const user = await t.prisma.user.create({ data: { email, name: email.split('@')[0]!, attributes, active } });
    users[email] = user.id;
    if (inRole) await t.prisma.userRole.create({ data: { userId: user.id, roleId } });
  }
});
afterAll(async () => {
  await t?.close();
});

const timerOf = (jobId: string) => clockTimer(t.database.pool, jobId);

describe('per user', () => {
  it('runs one child per target (users ∪ active role members, deduplicated) and rolls up', async () => {
    const job = await t.engine.jobs.create({
      name: 'greet readers',
      action: 'test.greet',
      args: { greeting: 'Hello' },
      perUser: true,
      targetRoleIds: [roleId],
      targetUserIds: [users['ana@example.com']!, users['cy@example.com']!],
    });
    const parent = await t.waitForRun((await t.engine.runs.start(job.id, { trigger: 'MANUAL' })).id);
    expect(parent.status).toBe('PARTIALLY_SUCCEEDED');
    expect(parent.statusReason).toBe('2/3 users ok');
    expect([parent.childrenTotal, parent.childrenSucceeded, parent.childrenFailed]).toEqual([3, 2, 1]);
    const children = await t.prisma.run.findMany({ where: { parentRunId: parent.id }, include: { targetUser: true } });
    expect(children.map((c) => [c.targetUser?.email, c.status]).sort()).toEqual([
      ['ana@example.com', 'SUCCEEDED'],
      ['bo@example.com', 'FAILED'],
      ['cy@example.com', 'SUCCEEDED'],
    ]);
    const ana = children.find((c) => c.targetUser?.email === 'ana@example.com')!;
    expect(ana.output).toEqual({ to: 'ana@example.com', of: 3 });
    const lines = await t.prisma.runLogLine.findMany({ where: { runId: ana.id } });
    expect(lines.map((l) => l.message)).toEqual(['Hello, ana']);
    expect(children.find((c) => c.targetUser?.email === 'bo@example.com')!.errorMessage).toBe('cannot greet bo@example.com');
  });

  it('runs targets spread over several claimed pages (200 children each) once each, every page from where the last ended', async () => {
    const role = await t.prisma.role.create({ data: { name: 'many readers' } });
    const many = await t.prisma.user.createManyAndReturn({
      data: Array.from({ length: 450 }, (_, index) => ({ email: `reader-${index}@example.com`, name: `reader ${index}` })),
    });
    await t.prisma.userRole.createMany({ data: many.map((user) => ({ userId: user.id, roleId: role.id })) });
    const job = await t.engine.jobs.create({ name: 'greet many', action: 'test.greet', args: { greeting: 'Hi' }, perUser: true, targetRoleIds: [role.id] });
    const parent = await t.waitForRun((await t.engine.runs.start(job.id, { trigger: 'MANUAL' })).id);
    expect(parent.status).toBe('SUCCEEDED');
    expect([parent.childrenTotal, parent.childrenSucceeded, parent.childrenFailed]).toEqual([450, 450, 0]);
    const children = await t.prisma.run.findMany({ where: { parentRunId: parent.id }, select: { targetUserId: true, status: true, attempt: true } });
    expect(children).toHaveLength(450);
    expect(new Set(children.map((child) => child.targetUserId))).toEqual(new Set(many.map((user) => user.id)));
    expect(children.every((child) => child.status === 'SUCCEEDED' && child.attempt === 1)).toBe(true);
  });

  it('records a run with no targets as skipped, saying why', async () => {
    const job = await t.engine.jobs.create({ name: 'nobody', action: 'test.greet', args: { greeting: 'Hi' }, perUser: true });
    const run = await t.waitForRun((await t.engine.runs.start(job.id, { trigger: 'MANUAL' })).id);
    expect(run.status).toBe('SKIPPED');
    expect(run.statusReason).toMatch(/no target users/);
  });

  it('without per_user runs once with user null and users = all targets', async () => {
    const job = await t.engine.jobs.create({ name: 'all', action: 'test.greet', args: { greeting: 'Hi' }, targetRoleIds: [roleId] });
    const run = await t.waitForRun((await t.engine.runs.start(job.id, { trigger: 'MANUAL' })).id);
    expect(run.output).toEqual({ to: null, of: 2 });
    expect(await t.prisma.run.count({ where: { parentRunId: run.id } })).toBe(0);
  });
});

describe('per user, again', () => {
  it('re-running a parent never duplicates its children and re-runs only the unfinished ones', async () => {
    const job = await t.engine.jobs.create({ name: 'again', action: 'test.greet', args: { greeting: 'Hey' }, perUser: true, targetRoleIds: [roleId] });
    const first = await t.waitForRun((await t.engine.runs.start(job.id, { trigger: 'MANUAL' })).id);
    expect(first.childrenTotal).toBe(2);
    // As after a lost worker: the parent goes back to the queue with one child interrupted.
    const bo = await t.prisma.run.findFirstOrThrow({ where: { parentRunId: first.id, targetUserId: users['bo@example.com'] } });
    const ana = await t.prisma.run.findFirstOrThrow({ where: { parentRunId: first.id, targetUserId: users['ana@example.com'] } });
    await t.prisma.run.update({ where: { id: bo.id }, data: { status: 'INTERRUPTED' } });
    await t.prisma.run.update({ where: { id: first.id }, data: { status: 'QUEUED', attempt: 2, maxAttempts: 2, finishedAt: null } });
    t.engine.executor.wake();
    const again = await t.waitForRun(first.id);
    expect(again.status).toBe('PARTIALLY_SUCCEEDED');
    const children = await t.prisma.run.findMany({ where: { parentRunId: first.id } });
    expect(children).toHaveLength(2);
    const anaAfter = children.find((c) => c.id === ana.id)!;
    expect(anaAfter.finishedAt?.getTime()).toBe(ana.finishedAt?.getTime());
    expect(children.find((c) => c.id === bo.id)!.status).toBe('FAILED');
  });

  it('cancelling a per-user parent stops its children', async () => {
    const job = await t.engine.jobs.create({
      name: 'slow per user', action: 'test.slow', args: { ms: 30_000 }, perUser: true, concurrency: 1, targetRoleIds: [roleId],
    });
    const parent = await t.engine.runs.start(job.id, { trigger: 'MANUAL' });
    await waitFor(() => t.prisma.run.findFirst({ where: { parentRunId: parent.id, status: 'RUNNING' } }));
    await t.engine.runs.cancel(parent.id);
    const done = await t.waitForRun(parent.id);
    expect(done.status).toBe('CANCELLED');
    const children = await t.prisma.run.findMany({ where: { parentRunId: parent.id } });
    expect(children.map((c) => c.status).sort()).toEqual(['CANCELLED', 'CANCELLED']);
  });
});

describe('validation on save', () => {
  it('lists every problem with its field and saves nothing', async () => {
    const before = await t.prisma.job.count();
    const error = await t.engine.jobs
      .create({
        name: ' ',
        action: 'test.greet',
        args: { colour: 'red' },
        schedule: { scheduleKind: 'CRON', cron: '61 * * * *', timezone: 'Mars/Olympus' },
        targetUserIds: ['00000000-0000-0000-0000-000000000000'],
        retries: -1,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'args.greeting', 'args.colour', 'schedule.cron', 'schedule.timezone', 'targetUserIds', 'retries']),
    );
    await expect(t.engine.jobs.create({ name: 'x', action: 'no.such' })).rejects.toThrow(/no action named "no.such"; available: test.greet, test.slow/);
    expect(await t.prisma.job.count()).toBe(before);
  });
});

describe('schedules', () => {
  it('fires an interval job on the slot clock and disables it at its run limit, leaving no timer', async () => {
    const job = await t.engine.jobs.create({
      name: 'every second, three times',
      action: 'test.greet',
      args: { greeting: 'tick' },
      schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1, runLimit: 3 },
    });
    expect(job.nextRunAt).not.toBeNull();
    expect(await timerOf(job.id)).toEqual(job.nextRunAt);
    const done = await waitFor(async () => {
      const current = await t.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      return current.enabled ? null : current;
    }, 15_000);
    expect(done.disabledReason).toBe('run limit of 3 reached');
    const [schedule] = await t.prisma.jobSchedule.findMany({ where: { jobId: job.id } });
    expect(schedule?.runCount).toBe(3);
    const runs = await t.prisma.run.findMany({ where: { jobId: job.id }, orderBy: { scheduledFor: 'asc' } });
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.trigger === 'SCHEDULE' && r.scheduleId === schedule?.id && r.occurrenceKey === `${job.id}@${schedule.id}@${r.scheduledFor.toISOString()}`)).toBe(true);
    expect(await timerOf(job.id)).toBeNull();
  });

  it('pausing takes the job off the clock, resuming puts its next slot back; an edit moves it; deleting removes it', async () => {
    const job = await t.engine.jobs.create({ name: 'daily', action: 'test.greet', args: { greeting: 'gm' }, schedule: { scheduleKind: 'CRON', cron: '0 9 * * *', timezone: 'Europe/Madrid' } });
    expect(await timerOf(job.id)).toEqual(job.nextRunAt);
    expect((await t.engine.jobs.setEnabled(job.id, false)).nextRunAt).toBeNull();
    expect(await timerOf(job.id)).toBeNull();
    const resumed = await t.engine.jobs.setEnabled(job.id, true);
    expect(resumed.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(await timerOf(job.id)).toEqual(resumed.nextRunAt);
    const moved = await t.engine.jobs.update(job.id, { schedule: { scheduleKind: 'CRON', cron: '0 10 * * *', timezone: 'Europe/Madrid' } });
    expect(moved.nextRunAt!.getUTCHours() - resumed.nextRunAt!.getUTCHours()).toBe(1);
    expect(await timerOf(job.id)).toEqual(moved.nextRunAt);
    await t.engine.jobs.delete(job.id);
    expect(await timerOf(job.id)).toBeNull();
  });

  it('fires a slot that an edit brings closer at its time, though the clock reads the table only once a minute', async () => {
    // The clock reads again when it hears of a job change on the bus, not only at its poll.
    const slow = await startTestEngine(actions, { ...FAST_ENGINE, scheduler: { ...FAST_ENGINE.scheduler, process_every_ms: 60_000, misfire_threshold_ms: 60_000 } });
    try {
      const job = await slow.engine.jobs.create({ name: 'soon', action: 'test.greet', args: { greeting: 'soon' }, schedule: { scheduleKind: 'CRON', cron: '0 9 * * *', timezone: 'UTC' } });
      const at = new Date(Date.now() + 1500);
      await slow.engine.jobs.update(job.id, { schedule: { scheduleKind: 'ONCE', runAt: at.toISOString() } });
      const run = await waitFor(() => slow.prisma.run.findFirst({ where: { jobId: job.id, trigger: 'SCHEDULE', startedAt: { not: null } } }), 30_000);
      expect(run.scheduledFor.toISOString()).toBe(at.toISOString());
      expect(run.late).toBe(false);
      expect(run.startedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime());
      // Well before the next poll: the edit's event made the clock read the table.
      expect(run.startedAt!.getTime() - at.getTime()).toBeLessThan(30_000);
    } finally {
      await slow.close();
    }
  });

  it('overlap policy skip records a skipped run while the previous one still runs', async () => {
    const job = await t.engine.jobs.create({ name: 'slow', action: 'test.slow', args: { ms: 2500 }, schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1, runLimit: 2 } });
    const skipped = await waitFor(() => t.prisma.run.findFirst({ where: { jobId: job.id, status: 'SKIPPED' } }), 15_000);
    expect(skipped.statusReason).toMatch(/previous run .* was still running; overlap policy: skip/);
    const ran = await t.prisma.run.findFirst({ where: { jobId: job.id, status: { not: 'SKIPPED' } } });
    await t.waitForRun(ran!.id, statusIs('SUCCEEDED'));
  });

  it('disables a job whose end time has passed, saying why', async () => {
    const endAt = new Date(Date.now() + 2500);
    const job = await t.engine.jobs.create({ name: 'until soon', action: 'test.greet', args: { greeting: 'bye' }, schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1, endAt } });
    const done = await waitFor(async () => {
      const current = await t.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      return current.enabled ? null : current;
    }, 15_000);
    expect(done.disabledReason).toBe(`end date reached (${endAt.toISOString()})`);
    expect(await t.prisma.run.count({ where: { jobId: job.id, scheduledFor: { gt: endAt } } })).toBe(0);
  });

  it('overlap policy queue waits for the previous run, then runs', async () => {
    const job = await t.engine.jobs.create({ name: 'queued', action: 'test.slow', args: { ms: 1200 }, overlapPolicy: 'QUEUE', schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1, runLimit: 2 } });
    const runs = await waitFor(async () => {
      const all = await t.prisma.run.findMany({ where: { jobId: job.id }, orderBy: { scheduledFor: 'asc' } });
      return all.length === 2 && all.every((r) => r.status === 'SUCCEEDED') ? all : null;
    }, 20_000);
    expect(runs[1]!.startedAt!.getTime()).toBeGreaterThanOrEqual(runs[0]!.finishedAt!.getTime());
  });

  it('a missed slot becomes one late catch-up run, not one per missed slot', async () => {
    const job = await t.engine.jobs.create({ name: 'missed', action: 'test.greet', args: { greeting: 'late' }, schedule: { scheduleKind: 'INTERVAL', intervalSeconds: 1 } });
    // Simulate downtime: the timer's slot is ten seconds in the past when it fires.
    const slot = new Date(Date.now() - 10_000);
    await t.engine.jobs.setEnabled(job.id, false);
    // The due slot is the schedule's own; the job's nextRunAt is the earliest of its schedules'. The clock sees the
    // job due once it is enabled again, at its next read.
    await t.prisma.jobSchedule.updateMany({ where: { jobId: job.id }, data: { nextRunAt: slot } });
    await t.prisma.job.update({ where: { id: job.id }, data: { enabled: true, nextRunAt: slot } });
    const late = await waitFor(() => t.prisma.run.findFirst({ where: { jobId: job.id, late: true } }), 10_000);
    expect(late.scheduledFor.toISOString()).toBe(slot.toISOString());
    expect(late.statusReason).toMatch(/one catch-up run for (1[01]|9) occurrences missed/);
    await t.engine.jobs.setEnabled(job.id, false);
    const lateRuns = await t.prisma.run.count({ where: { jobId: job.id, late: true } });
    expect(lateRuns).toBe(1);
    const all = await t.prisma.run.findMany({ where: { jobId: job.id } });
    expect(all.every((r) => r.scheduledFor >= slot)).toBe(true);
    expect(all.filter((r) => r.scheduledFor < new Date(slot.getTime() + 9_000))).toHaveLength(1);
  });
});
