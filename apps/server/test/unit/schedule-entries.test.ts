// A job's list of schedules as pure functions: checking a list (errors named by entry, stored schedules kept by id
// and timing), merging several schedules' slots into one timeline naming each, and a past range's slots for a
// backfill (an interval's grid extended back; window bounds apply, run limits do not; DST in Berlin).
import { describe, expect, it } from 'vitest';
import {
  mergedSlots,
  slotsBetween,
  validateScheduleEntries,
  type CronSchedule,
  type IntervalSchedule,
  type StoredScheduleEntry,
} from '../../src/services/schedule.js';

const t = (iso: string): Date => new Date(iso);
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const now = t('2026-12-01T10:00:00Z');

function cron(expression: string, more: Partial<CronSchedule> = {}): CronSchedule {
  return { scheduleKind: 'CRON', cron: expression, timezone: 'UTC', startAt: null, endAt: null, runLimit: null, runCount: 0, ...more };
}
function interval(seconds: number, more: Partial<IntervalSchedule> = {}): IntervalSchedule {
  return { scheduleKind: 'INTERVAL', intervalSeconds: seconds, timezone: 'UTC', startAt: null, endAt: null, runLimit: null, runCount: 0, ...more };
}

const stored: StoredScheduleEntry = {
  id: 's1',
  scheduleKind: 'ONCE',
  cron: null,
  timezone: 'UTC',
  intervalSeconds: null,
  runAt: t('2026-11-01T09:00:00Z'),
  startAt: null,
  endAt: null,
  runLimit: null,
  runCount: 1,
  nextRunAt: null,
  disabledReason: 'its one scheduled run has started',
};

describe('validateScheduleEntries', () => {
  it('names every problem by its entry and field', () => {
    const result = validateScheduleEntries(
      [{ scheduleKind: 'CRON', cron: 'nope' }, { scheduleKind: 'MANUAL' }, { id: 'missing', scheduleKind: 'INTERVAL', intervalSeconds: 5 }, {}],
      [],
      now,
    );
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['[0].cron', '[1].scheduleKind', '[2].id', '[3].scheduleKind']));
  });

  it('keeps a stored schedule given with its id and timing (a past once-at time is history), and counts a changed one again', () => {
    const kept = validateScheduleEntries([{ id: 's1', scheduleKind: 'ONCE', runAt: '2026-11-01T09:00:00Z', label: ' Launch ' }], [stored], now);
    expect(kept.ok && kept.entries[0]).toMatchObject({ kept: { id: 's1' }, replaces: null, label: 'Launch', schedule: { runCount: 1 } });
    const changed = validateScheduleEntries([{ id: 's1', scheduleKind: 'ONCE', runAt: '2026-12-24T09:00:00Z' }], [stored], now);
    expect(changed.ok && changed.entries[0]).toMatchObject({ kept: null, replaces: 's1', schedule: { runCount: 0 } });
    const past = validateScheduleEntries([{ scheduleKind: 'ONCE', runAt: '2026-11-01T09:00:00Z' }], [stored], now);
    expect(past.ok ? [] : past.errors.map((error) => error.field)).toEqual(['[0].runAt']);
  });

  it('infers the kind from its one timing field', () => {
    const result = validateScheduleEntries([{ cron: '0 9 * * *' }, { intervalSeconds: 60 }], [], now);
    expect(result.ok && result.entries.map((entry) => entry.schedule.scheduleKind)).toEqual(['CRON', 'INTERVAL']);
  });
});

describe('mergedSlots', () => {
  it('merges the schedules in time order, each slot naming its schedule, within each one limit', () => {
    const slots = mergedSlots(
      [
        { key: 'nine', schedule: cron('0 9 * * *'), first: t('2026-12-02T09:00:00Z') },
        { key: 'hourly-limited', schedule: cron('30 * * * *', { runLimit: 2 }), first: t('2026-12-01T10:30:00Z') },
        { key: 'none', schedule: cron('0 0 * * *'), first: null },
      ],
      5,
    );
    expect(slots.map((slot) => [slot.at.toISOString(), slot.key])).toEqual([
      ['2026-12-01T10:30:00.000Z', 'hourly-limited'],
      ['2026-12-01T11:30:00.000Z', 'hourly-limited'],
      ['2026-12-02T09:00:00.000Z', 'nine'],
      ['2026-12-03T09:00:00.000Z', 'nine'],
      ['2026-12-04T09:00:00.000Z', 'nine'],
    ]);
  });
});

describe('slotsBetween', () => {
  it("extends an interval's grid back from its anchor", () => {
    const slots = slotsBetween(interval(3600), t('2026-11-30T01:30:00Z'), t('2026-11-30T04:00:00Z'), t('2026-12-01T10:15:00Z'), 100);
    expect(iso(slots)).toEqual(['2026-11-30T02:15:00.000Z', '2026-11-30T03:15:00.000Z']);
  });

  it('includes both ends, keeps to the window, ignores the run limit, and stops after max + 1', () => {
    const bounded = cron('0 * * * *', { startAt: t('2026-11-30T02:00:00Z'), runLimit: 1, runCount: 1 });
    expect(iso(slotsBetween(bounded, t('2026-11-30T00:00:00Z'), t('2026-11-30T04:00:00Z'), now, 100))).toEqual([
      '2026-11-30T02:00:00.000Z',
      '2026-11-30T03:00:00.000Z',
      '2026-11-30T04:00:00.000Z',
    ]);
    expect(slotsBetween(cron('* * * * *'), t('2026-11-29T00:00:00Z'), t('2026-11-30T00:00:00Z'), now, 10)).toHaveLength(11);
  });

  it('follows the clock change in Berlin: 02:30 local does not exist on 2026-03-29', () => {
    const berlin = cron('30 2 * * *', { timezone: 'Europe/Berlin' });
    const slots = slotsBetween(berlin, t('2026-03-27T12:00:00Z'), t('2026-03-30T12:00:00Z'), now, 100);
    expect(slots).toHaveLength(3);
    expect(iso(slots)[0]).toBe('2026-03-28T01:30:00.000Z');
    expect(iso(slots)[2]).toBe('2026-03-30T00:30:00.000Z');
  });
});
