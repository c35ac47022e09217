import { describe, expect, it } from 'vitest';
import {
  missedOccurrences,
  nextFireTimes,
  remainingRuns,
  type CronSchedule,
  type IntervalSchedule,
  type OnceSchedule,
  type Schedule,
} from '../../src/services/schedule.js';

const t = (iso: string): Date => new Date(iso);
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

function cron(expression: string, more: Partial<CronSchedule> = {}): CronSchedule {
  return { scheduleKind: 'CRON', cron: expression, timezone: 'UTC', startAt: null, endAt: null, runLimit: null, runCount: 0, ...more };
}
function interval(seconds: number, more: Partial<IntervalSchedule> = {}): IntervalSchedule {
  return { scheduleKind: 'INTERVAL', intervalSeconds: seconds, timezone: 'UTC', startAt: null, endAt: null, runLimit: null, runCount: 0, ...more };
}
function once(runAt: string, runCount = 0): OnceSchedule {
  return { scheduleKind: 'ONCE', runAt: t(runAt), timezone: 'UTC', runCount };
}
const manual: Schedule = { scheduleKind: 'MANUAL', timezone: 'UTC', runCount: 0 };

describe('nextFireTimes', () => {
  it('gives nothing for a manual schedule', () => {
    expect(nextFireTimes(manual, { after: t('2026-01-01T00:00:00Z'), count: 5 })).toEqual([]);
    expect(remainingRuns(manual)).toBe(0);
  });

  it('gives the one time of a once-at schedule, until it has run or passed', () => {
    expect(iso(nextFireTimes(once('2026-12-01T08:00:00Z'), { after: t('2026-06-01T00:00:00Z'), count: 3 }))).toEqual(['2026-12-01T08:00:00.000Z']);
    expect(nextFireTimes(once('2026-12-01T08:00:00Z'), { after: t('2026-12-01T08:00:00Z'), count: 3 })).toEqual([]);
    expect(nextFireTimes(once('2026-12-01T08:00:00Z', 1), { after: t('2026-06-01T00:00:00Z'), count: 3 })).toEqual([]);
  });

  it('reads a cron in its timezone, after `after` (exclusive)', () => {
    const weekdays = cron('0 9 * * 1-5', { timezone: 'Europe/Madrid' });
    // Friday 2026-06-05 09:00 CEST is 07:00Z; the next ones are Monday and Tuesday.
    expect(iso(nextFireTimes(weekdays, { after: t('2026-06-05T07:00:00Z'), count: 2 }))).toEqual([
      '2026-06-08T07:00:00.000Z',
      '2026-06-09T07:00:00.000Z',
    ]);
    expect(iso(nextFireTimes(weekdays, { after: t('2026-06-05T06:59:59.999Z'), count: 1 }))).toEqual(['2026-06-05T07:00:00.000Z']);
  });

  it('supports a seconds field', () => {
    expect(iso(nextFireTimes(cron('*/20 * * * * *'), { after: t('2026-01-01T00:00:00Z'), count: 3 }))).toEqual([
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('keeps a cron within startAt and endAt, both inclusive', () => {
    const daily = cron('0 9 * * *', { startAt: t('2026-03-02T09:00:00Z'), endAt: t('2026-03-04T09:00:00Z') });
    expect(iso(nextFireTimes(daily, { after: t('2026-01-01T00:00:00Z'), count: 10 }))).toEqual([
      '2026-03-02T09:00:00.000Z',
      '2026-03-03T09:00:00.000Z',
      '2026-03-04T09:00:00.000Z',
    ]);
    expect(nextFireTimes(daily, { after: t('2026-03-04T09:00:00Z'), count: 10 })).toEqual([]);
    const startsMidSecond = cron('* * * * * *', { startAt: t('2026-03-02T09:00:00.300Z') });
    expect(iso(nextFireTimes(startsMidSecond, { after: t('2026-01-01T00:00:00Z'), count: 1 }))).toEqual(['2026-03-02T09:00:01.000Z']);
  });

  it('gives no more than the run limit leaves', () => {
    const limited = cron('0 * * * *', { runLimit: 10, runCount: 7 });
    expect(remainingRuns(limited)).toBe(3);
    expect(nextFireTimes(limited, { after: t('2026-01-01T00:30:00Z'), count: 5 })).toHaveLength(3);
    expect(nextFireTimes(cron('0 * * * *', { runLimit: 10, runCount: 10 }), { after: t('2026-01-01T00:00:00Z'), count: 5 })).toEqual([]);
    expect(nextFireTimes(interval(60, { runLimit: 2 }), { after: t('2026-01-01T00:00:00Z'), count: 5 })).toHaveLength(2);
  });

  it('anchors an interval at startAt: the first slot is startAt, and every answer lies on the same grid', () => {
    const every15 = interval(900, { startAt: t('2026-01-01T00:05:00Z') });
    expect(iso(nextFireTimes(every15, { after: t('2025-12-31T00:00:00Z'), count: 2 }))).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:20:00.000Z',
    ]);
    // Asked again later (a restart, another worker): the same grid, not "15 minutes from now".
    expect(iso(nextFireTimes(every15, { after: t('2026-03-01T10:07:13Z'), count: 2 }))).toEqual([
      '2026-03-01T10:20:00.000Z',
      '2026-03-01T10:35:00.000Z',
    ]);
    expect(iso(nextFireTimes(every15, { after: t('2026-03-01T10:20:00Z'), count: 1 }))).toEqual(['2026-03-01T10:35:00.000Z']);
  });

  it('anchors an interval without startAt at the given anchor (first slot one interval later), else at `after`', () => {
    const hourly = interval(3600);
    const anchor = t('2026-01-01T10:17:00Z');
    expect(iso(nextFireTimes(hourly, { after: anchor, count: 2, anchor }))).toEqual(['2026-01-01T11:17:00.000Z', '2026-01-01T12:17:00.000Z']);
    expect(iso(nextFireTimes(hourly, { after: t('2026-01-05T08:00:00Z'), count: 1, anchor }))).toEqual(['2026-01-05T08:17:00.000Z']);
    expect(iso(nextFireTimes(hourly, { after: t('2026-01-05T08:00:00Z'), count: 1 }))).toEqual(['2026-01-05T09:00:00.000Z']);
    // An interval counts real time: across a DST change the slots stay exactly one interval apart.
    const times = nextFireTimes(interval(3600, { timezone: 'Europe/Berlin' }), { after: t('2026-10-24T22:00:00Z'), count: 6, anchor });
    expect(times.slice(1).map((time, i) => time.getTime() - (times[i]?.getTime() ?? 0))).toEqual([3_600_000, 3_600_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('stops an interval at endAt (inclusive)', () => {
    const bounded = interval(600, { startAt: t('2026-01-01T00:00:00Z'), endAt: t('2026-01-01T00:30:00Z') });
    expect(iso(nextFireTimes(bounded, { after: t('2026-01-01T00:00:00Z'), count: 10 }))).toEqual([
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:20:00.000Z',
      '2026-01-01T00:30:00.000Z',
    ]);
  });

  it('refuses a bad count or instant', () => {
    expect(nextFireTimes(cron('* * * * *'), { after: t('2026-01-01T00:00:00Z'), count: 0 })).toEqual([]);
    expect(() => nextFireTimes(cron('* * * * *'), { after: t('2026-01-01T00:00:00Z'), count: -1 })).toThrow(RangeError);
    expect(() => nextFireTimes(cron('* * * * *'), { after: new Date(Number.NaN), count: 1 })).toThrow(TypeError);
  });
});

describe('missedOccurrences', () => {
  it('finds the slots in (since, now] and says when there were more than max', () => {
    const every10min = interval(600, { startAt: t('2026-01-01T00:00:00Z') });
    // Down from 00:00 to 01:40: the slots 00:10 … 01:40 are missed (ten of them); since itself ran.
    const all = missedOccurrences(every10min, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-01T01:40:00Z'), max: 100 });
    expect(all.slots).toHaveLength(10);
    expect(all.more).toBe(false);
    expect(all.latest?.toISOString()).toBe('2026-01-01T01:40:00.000Z');
    // Ten missed slots → one catch-up run: max 1 says "at least one, and more", and still finds the latest.
    const one = missedOccurrences(every10min, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-01T01:40:00Z'), max: 1 });
    expect(iso(one.slots)).toEqual(['2026-01-01T00:10:00.000Z']);
    expect(one.more).toBe(true);
    expect(one.latest?.toISOString()).toBe('2026-01-01T01:40:00.000Z');
  });

  it('does not walk through a week of every-second slots to count them', () => {
    const everySecond = cron('* * * * * *');
    const missed = missedOccurrences(everySecond, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-08T00:00:00.700Z'), max: 3 });
    expect(iso(missed.slots)).toEqual(['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z']);
    expect(missed.more).toBe(true);
    expect(missed.latest?.toISOString()).toBe('2026-01-08T00:00:00.000Z');
  });

  it('respects endAt and startAt, and a used-up run limit', () => {
    const daily = cron('0 9 * * *', { startAt: t('2026-01-03T00:00:00Z'), endAt: t('2026-01-05T09:00:00Z') });
    const missed = missedOccurrences(daily, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-10T00:00:00Z'), max: 1 });
    expect(iso(missed.slots)).toEqual(['2026-01-03T09:00:00.000Z']);
    expect(missed.latest?.toISOString()).toBe('2026-01-05T09:00:00.000Z');
    const usedUp = cron('0 9 * * *', { runLimit: 3, runCount: 3 });
    expect(missedOccurrences(usedUp, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-10T00:00:00Z'), max: 5 }).slots).toEqual([]);
  });

  it('includes now and excludes since', () => {
    const hourly = cron('0 * * * *');
    const missed = missedOccurrences(hourly, { since: t('2026-01-01T01:00:00Z'), now: t('2026-01-01T03:00:00Z'), max: 10 });
    expect(iso(missed.slots)).toEqual(['2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    expect(missedOccurrences(hourly, { since: t('2026-01-01T03:00:00Z'), now: t('2026-01-01T03:00:00Z'), max: 10 })).toEqual({
      slots: [],
      more: false,
      latest: null,
    });
  });

  it('sees a once-at slot that passed while down, unless it ran', () => {
    const window = { since: t('2026-11-30T00:00:00Z'), now: t('2026-12-02T00:00:00Z'), max: 5 };
    expect(missedOccurrences(once('2026-12-01T08:00:00Z'), window).latest?.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(missedOccurrences(once('2026-12-01T08:00:00Z', 1), window).slots).toEqual([]);
    expect(missedOccurrences(manual, window).slots).toEqual([]);
  });

  it('finds the same latest slot by looking back as by walking forward, across DST changes', () => {
    const cases: [string, string, string, string][] = [
      ['30 2 * * *', 'Europe/Berlin', '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
      ['30 2 * * *', 'Europe/Berlin', '2026-10-24T00:00:00Z', '2026-10-25T01:45:00Z'],
      ['0 * * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25T01:30:00Z'],
      ['*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T13:00:00Z', '2026-04-04T15:10:00Z'],
      ['30 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', '2026-11-01T06:00:00Z'],
    ];
    for (const [expression, timezone, since, now] of cases) {
      const schedule = cron(expression, { timezone });
      const walked = missedOccurrences(schedule, { since: t(since), now: t(now), max: 10_000 });
      const looked = missedOccurrences(schedule, { since: t(since), now: t(now), max: 1 });
      expect(looked.more, `${expression} ${timezone}`).toBe(walked.slots.length > 1);
      expect(looked.latest, `${expression} ${timezone}`).toEqual(walked.slots.at(-1));
    }
  });

  it('refuses a bad max', () => {
    expect(() => missedOccurrences(manual, { since: t('2026-01-01T00:00:00Z'), now: t('2026-01-02T00:00:00Z'), max: 0 })).toThrow(RangeError);
  });
});
