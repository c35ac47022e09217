import { describe, expect, it } from 'vitest';
import { describeInterval, describeSchedule, type CronSchedule, type IntervalSchedule } from '../../src/services/schedule.js';

const bounds = { startAt: null, endAt: null, runLimit: null, runCount: 0 };
const cron = (expression: string, timezone: string, more: Partial<CronSchedule> = {}): CronSchedule => ({
  scheduleKind: 'CRON', cron: expression, timezone, ...bounds, ...more,
});
const interval = (seconds: number, more: Partial<IntervalSchedule> = {}): IntervalSchedule => ({
  scheduleKind: 'INTERVAL', intervalSeconds: seconds, timezone: 'UTC', ...bounds, ...more,
});

describe('describeSchedule', () => {
  it('says what each kind does', () => {
    expect(describeSchedule({ scheduleKind: 'MANUAL', timezone: 'UTC', runCount: 0 })).toBe('Manual only');
    expect(describeSchedule(cron('0 9 * * 1-5', 'Europe/Madrid'))).toBe('At 09:00, Monday through Friday (Europe/Madrid)');
    expect(describeSchedule(interval(900))).toBe('Every 15 minutes');
    expect(
      describeSchedule({ scheduleKind: 'ONCE', runAt: new Date('2026-12-01T08:00:00Z'), timezone: 'Europe/Madrid', runCount: 0 }),
    ).toBe('Once at 2026-12-01 09:00 (Europe/Madrid)');
  });

  it('describes six-field and special expressions, and shows the expression when it has no words for it', () => {
    expect(describeSchedule(cron('*/10 * * * * *', 'UTC'))).toBe('Every 10 seconds (UTC)');
    expect(describeSchedule(cron('0 0 L * *', 'UTC'))).toBe('At 00:00, on the last day of the month (UTC)');
    expect(describeSchedule(cron('0 12 1 * +MON', 'UTC'))).toBe("Cron '0 12 1 * +MON' (UTC)");
  });

  it('gives the same sentence again for an expression it has seen (sentences are kept), and keeps taking new ones', () => {
    const first = describeSchedule(cron('15 3 * * 0', 'UTC'));
    expect(describeSchedule(cron('15 3 * * 0', 'UTC'))).toBe(first);
    expect(describeSchedule(cron('0 12 1 * +MON', 'UTC'))).toBe("Cron '0 12 1 * +MON' (UTC)");
    for (let minute = 0; minute < 1_100; minute++) describeSchedule(cron(`${minute % 60} ${Math.floor(minute / 60)} * * *`, 'UTC'));
    expect(describeSchedule(cron('0 9 * * 1-5', 'Europe/Madrid'))).toBe('At 09:00, Monday through Friday (Europe/Madrid)');
  });

  it('adds start, end and limit, with dates in the schedule timezone', () => {
    expect(
      describeSchedule(
        cron('0 9 * * 1-5', 'Europe/Madrid', { endAt: new Date('2026-12-31T23:00:00Z'), runLimit: 10 }),
      ),
    ).toBe('At 09:00, Monday through Friday (Europe/Madrid), until 2027-01-01, at most 10 runs');
    expect(
      describeSchedule(
        interval(900, {
          timezone: 'Europe/Madrid',
          startAt: new Date('2026-12-01T08:00:00Z'),
          endAt: new Date('2026-12-31T23:00:00Z'),
          runLimit: 1,
        }),
      ),
    ).toBe('Every 15 minutes, from 2026-12-01 09:00 until 2027-01-01 (Europe/Madrid), at most 1 run');
    expect(describeSchedule(interval(3600, { runLimit: 10, runCount: 3 }))).toBe('Every hour, at most 10 runs (3 done)');
  });
});

describe('describeInterval', () => {
  it('uses the largest whole unit', () => {
    expect(describeInterval(1)).toBe('Every second');
    expect(describeInterval(45)).toBe('Every 45 seconds');
    expect(describeInterval(60)).toBe('Every minute');
    expect(describeInterval(5400)).toBe('Every 90 minutes');
    expect(describeInterval(7200)).toBe('Every 2 hours');
    expect(describeInterval(86_400)).toBe('Every day');
    expect(describeInterval(604_800)).toBe('Every 7 days');
    expect(describeInterval(3601)).toBe('Every 3601 seconds');
  });
});
