import { describe, expect, it } from 'vitest';
import {
  judgeSlot,
  localInstant,
  movedSlot,
  nextWindowStart,
  validateCalendarRules,
  windowsAt,
  type AttachedCalendar,
  type CalendarEntry,
  type CalendarRules,
} from '../../src/services/schedule.js';

// Calendars' windows as instants, across the 2026 daylight saving changes the schedules are tested on too
// (test/unit/schedule-dst.test.ts):
//   Europe/Berlin        Mar 29 02:00 → 03:00 (CET → CEST)    Oct 25 03:00 → 02:00 (CEST → CET)
//   America/New_York     Mar 8  02:00 → 03:00 (EST → EDT)     Nov 1  02:00 → 01:00 (EDT → EST)
//   Australia/Lord_Howe  Oct 4  02:00 → 02:30 (+10:30 → +11)  Apr 5  02:00 → 01:30 (+11 → +10:30)
// Every expected instant is fixed; nothing reads the clock.

const nights: CalendarEntry = { kind: 'WEEKLY', label: 'nights', days: ['SAT'], startTime: '22:00', endTime: '06:00' };

function calendar(timezone: string, entries: CalendarEntry[], name = 'Test'): CalendarRules {
  return { name, timezone, entries };
}

function windowAt(rules: CalendarRules, instant: string): { start: string; end: string } | null {
  const [window] = windowsAt(rules, new Date(instant));
  return window ? { start: window.start.toISOString(), end: window.end.toISOString() } : null;
}

const hours = (window: { start: string; end: string } | null) => (window ? (Date.parse(window.end) - Date.parse(window.start)) / 3_600_000 : null);

describe('a weekly window across midnight keeps its local times over a clock change', () => {
  it.each([
    // zone, an instant inside the Saturday-night window, its start, its end, its length in hours
    ['Europe/Berlin', '2026-03-29T00:00:00Z', '2026-03-28T21:00:00.000Z', '2026-03-29T04:00:00.000Z', 7], // 22:00 CET → 06:00 CEST
    ['Europe/Berlin', '2026-10-25T00:00:00Z', '2026-10-24T20:00:00.000Z', '2026-10-25T05:00:00.000Z', 9], // 22:00 CEST → 06:00 CET
    ['America/New_York', '2026-03-08T06:00:00Z', '2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z', 7], // 22:00 EST → 06:00 EDT
    ['America/New_York', '2026-11-01T06:00:00Z', '2026-11-01T02:00:00.000Z', '2026-11-01T11:00:00.000Z', 9], // 22:00 EDT → 06:00 EST
    ['Australia/Lord_Howe', '2026-10-03T15:00:00Z', '2026-10-03T11:30:00.000Z', '2026-10-03T19:00:00.000Z', 7.5], // +10:30 → +11
    ['Australia/Lord_Howe', '2026-04-04T15:00:00Z', '2026-04-04T11:00:00.000Z', '2026-04-04T19:30:00.000Z', 8.5], // +11 → +10:30
  ])('%s, Saturday 22:00–06:00 containing %s', (zone, inside, start, end, length) => {
    const window = windowAt(calendar(zone, [nights]), inside);
    expect(window).toEqual({ start, end });
    expect(hours(window)).toBe(length);
  });

  it('just before the start and at the end are outside (windows are [start, end))', () => {
    const rules = calendar('Europe/Berlin', [nights]);
    expect(windowAt(rules, '2026-03-28T20:59:59Z')).toBeNull();
    expect(windowAt(rules, '2026-03-29T04:00:00Z')).toBeNull();
    expect(windowAt(rules, '2026-03-29T03:59:59Z')).not.toBeNull();
  });
});

describe('local times a clock change skips or repeats', () => {
  it('a time in the spring-forward gap is the first instant after it, as for schedules', () => {
    expect(localInstant({ year: 2026, month: 3, day: 29 }, 150, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(localInstant({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    expect(localInstant({ year: 2026, month: 10, day: 4 }, 135, 'Australia/Lord_Howe').toISOString()).toBe('2026-10-03T15:30:00.000Z'); // 02:30 +11
  });

  it('a time the fall-back repeats is its first occurrence', () => {
    expect(localInstant({ year: 2026, month: 10, day: 25 }, 150, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(localInstant({ year: 2026, month: 11, day: 1 }, 90, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(localInstant({ year: 2026, month: 4, day: 5 }, 105, 'Australia/Lord_Howe').toISOString()).toBe('2026-04-04T14:45:00.000Z'); // 01:45 +11
  });

  it('a weekly window starting in the gap starts when the clock resumes', () => {
    const rules = calendar('Europe/Berlin', [{ kind: 'WEEKLY', label: null, days: ['SUN'], startTime: '02:30', endTime: '03:30' }]);
    expect(windowAt(rules, '2026-03-29T01:10:00Z')).toEqual({ start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T01:30:00.000Z' });
  });

  it('a whole local day (a date range, a yearly date) is 23 or 25 hours long on a change day', () => {
    const spring = calendar('Europe/Berlin', [{ kind: 'DATE_RANGE', label: null, from: '2026-03-29', to: '2026-03-29' }]);
    expect(windowAt(spring, '2026-03-29T12:00:00Z')).toEqual({ start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z' });
    const fall = calendar('America/New_York', [{ kind: 'YEARLY', label: 'change day', month: 11, day: 1 }]);
    expect(hours(windowAt(fall, '2026-11-01T12:00:00Z'))).toBe(25);
    const howe = calendar('Australia/Lord_Howe', [{ kind: 'YEARLY', label: null, month: 10, day: 4 }]);
    expect(hours(windowAt(howe, '2026-10-04T00:00:00Z'))).toBe(23.5);
  });
});

describe('judging and moving a slot', () => {
  const weekend = calendar('Europe/Berlin', [
    { kind: 'WEEKLY', label: 'Saturday', days: ['SAT'], startTime: '00:00', endTime: '00:00' },
    { kind: 'WEEKLY', label: 'Sunday', days: ['SUN'], startTime: '00:00', endTime: '00:00' },
  ], 'Weekend');
  const businessHours = calendar('America/New_York', [{ kind: 'WEEKLY', label: null, days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startTime: '09:00', endTime: '17:00' }], 'Business hours');
  const holidays = calendar('Europe/Berlin', [{ kind: 'YEARLY', label: 'Christmas', month: 12, day: 25 }, { kind: 'DATE_RANGE', label: 'Shutdown', from: '2026-12-28', to: '2026-12-31' }], 'Holidays');

  it('a slot inside a blackout is ruled out, naming the calendar', () => {
    const attached: AttachedCalendar[] = [{ calendar: weekend, mode: 'NEVER_INSIDE' }];
    expect(judgeSlot(new Date('2026-12-05T10:00:00Z'), attached)).toEqual({ allowed: false, calendar: 'Weekend', mode: 'NEVER_INSIDE', reason: 'inside blackout calendar "Weekend"' });
    expect(judgeSlot(new Date('2026-12-07T10:00:00Z'), attached)).toEqual({ allowed: true });
  });

  it('a slot moves to the end of touching windows (Saturday then Sunday: Monday 00:00 local), across calendars', () => {
    const attached: AttachedCalendar[] = [{ calendar: weekend, mode: 'NEVER_INSIDE' }];
    expect(movedSlot(new Date('2026-12-05T10:00:00Z'), attached)?.toISOString()).toBe('2026-12-06T23:00:00.000Z');
    // Christmas 2027 is a Saturday: the holiday and the weekend make one blackout until Monday.
    const both: AttachedCalendar[] = [...attached, { calendar: holidays, mode: 'NEVER_INSIDE' }];
    expect(movedSlot(new Date('2027-12-24T23:30:00Z'), both)?.toISOString()).toBe('2027-12-26T23:00:00.000Z');
    // The shutdown runs to the end of 31 December (Berlin).
    expect(movedSlot(new Date('2026-12-29T03:00:00Z'), both)?.toISOString()).toBe('2026-12-31T23:00:00.000Z');
  });

  it('outside an only-inside calendar: ruled out, moved to the start of its next window', () => {
    const attached: AttachedCalendar[] = [{ calendar: businessHours, mode: 'ONLY_INSIDE' }];
    const saturday = new Date('2026-12-05T15:00:00Z');
    expect(judgeSlot(saturday, attached)).toMatchObject({ allowed: false, calendar: 'Business hours', reason: 'outside calendar "Business hours" (only inside)' });
    expect(movedSlot(saturday, attached)?.toISOString()).toBe('2026-12-07T14:00:00.000Z'); // Monday 09:00 EST
    expect(judgeSlot(new Date('2026-12-07T15:00:00Z'), attached)).toEqual({ allowed: true });
    expect(nextWindowStart(businessHours, new Date('2026-12-07T15:00:00Z'))?.toISOString()).toBe('2026-12-08T14:00:00.000Z');
  });

  it('only-inside and never-inside together: the next window start that no blackout covers', () => {
    const mondayHoliday = calendar('America/New_York', [{ kind: 'DATE_RANGE', label: null, from: '2026-12-07', to: '2026-12-07' }], 'Closed');
    const attached: AttachedCalendar[] = [{ calendar: businessHours, mode: 'ONLY_INSIDE' }, { calendar: mondayHoliday, mode: 'NEVER_INSIDE' }];
    expect(movedSlot(new Date('2026-12-05T15:00:00Z'), attached)?.toISOString()).toBe('2026-12-08T14:00:00.000Z'); // Tuesday 09:00
  });

  it('a blackout that never ends leaves nowhere to move to', () => {
    const always = calendar('UTC', [{ kind: 'WEEKLY', label: null, days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startTime: '00:00', endTime: '00:00' }], 'Always');
    expect(movedSlot(new Date('2026-12-05T10:00:00Z'), [{ calendar: always, mode: 'NEVER_INSIDE' }])).toBeNull();
    const empty = calendar('UTC', [], 'Empty');
    expect(movedSlot(new Date('2026-12-05T10:00:00Z'), [{ calendar: empty, mode: 'ONLY_INSIDE' }])).toBeNull();
  });
});

describe('checking a calendar', () => {
  it('names each bad field and accepts the good entries as sent', () => {
    const result = validateCalendarRules('Europe/Berlin', [
      { kind: 'DATE_RANGE', from: '2026-12-24', to: '2026-12-23' },
      { kind: 'WEEKLY', days: ['MON', 'FUNDAY'], startTime: '22:00', endTime: '25:00' },
      { kind: 'YEARLY', month: 2, day: 30 },
      { kind: 'MONTHLY' },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual([
      'entries[0].to',
      'entries[1].days',
      'entries[1].endTime',
      'entries[2].day',
      'entries[3].kind',
    ]);
    expect(validateCalendarRules('Europe/berlin', []).ok).toBe(false);
    expect(validateCalendarRules('Europe/Berlin', [{ kind: 'YEARLY', label: ' Leap day ', month: 2, day: 29 }, { kind: 'DATE_RANGE', from: '2026-12-24' }])).toEqual({
      ok: true,
      timezone: 'Europe/Berlin',
      entries: [
        { kind: 'YEARLY', label: 'Leap day', month: 2, day: 29 },
        { kind: 'DATE_RANGE', label: null, from: '2026-12-24', to: '2026-12-24' },
      ],
    });
  });
});
