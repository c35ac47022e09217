import { describe, expect, it } from 'vitest';
import { nextFireTimes, type CronSchedule } from '../../src/services/schedule.js';

// The 2026 daylight saving changes Sundial promises to handle (docs/schedules.md, "Daylight saving time"):
//   Europe/Berlin        Mar 29 02:00 → 03:00 (CET → CEST)    Oct 25 03:00 → 02:00 (CEST → CET)
//   America/New_York     Mar 8  02:00 → 03:00 (EST → EDT)     Nov 1  02:00 → 01:00 (EDT → EST)
//   Australia/Lord_Howe  Oct 4  02:00 → 02:30 (+10:30 → +11)  Apr 5  02:00 → 01:30 (+11 → +10:30)
// Every expected instant below is fixed; nothing reads the clock.

function cron(expression: string, timezone: string): CronSchedule {
  return { scheduleKind: 'CRON', cron: expression, timezone, startAt: null, endAt: null, runLimit: null, runCount: 0 };
}

function fires(expression: string, timezone: string, after: string, count: number): string[] {
  return nextFireTimes(cron(expression, timezone), { after: new Date(after), count }).map((d) => d.toISOString());
}

const wallClock = (instant: Date, timezone: string): string =>
  instant.toLocaleString('sv-SE', { timeZone: timezone });

const gapsInMinutes = (times: string[]): number[] =>
  times.slice(1).map((time, i) => (Date.parse(time) - Date.parse(times[i] ?? time)) / 60_000);

describe('spring forward: a fixed-time slot in the skipped hour fires at the first valid time after the gap', () => {
  it('Europe/Berlin, 30 2 * * * on Mar 29 fires at 03:00 CEST', () => {
    expect(fires('30 2 * * *', 'Europe/Berlin', '2026-03-27T00:00:00Z', 4)).toEqual([
      '2026-03-27T01:30:00.000Z', // 02:30 CET
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that day
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('America/New_York, 30 2 * * * on Mar 8 fires at 03:00 EDT', () => {
    expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('Australia/Lord_Howe, 15 2 * * * on Oct 4 fires at 02:30 (+11), where the 30-minute gap ends', () => {
    expect(fires('15 2 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z', 3)).toEqual([
      '2026-10-02T15:45:00.000Z', // Oct 3 02:15 +10:30
      '2026-10-03T15:30:00.000Z', // Oct 4 02:30 +11
      '2026-10-04T15:15:00.000Z', // Oct 5 02:15 +11
    ]);
  });

  it('a six-field expression follows the same rule', () => {
    expect(fires('0 30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-29T01:00:00.000Z']);
  });
});

describe('fall back: a fixed-time slot in the repeated hour fires once, at its first pass', () => {
  it('Europe/Berlin, 30 2 * * * on Oct 25 fires at 02:30 CEST only', () => {
    expect(fires('30 2 * * *', 'Europe/Berlin', '2026-10-23T00:00:00Z', 4)).toEqual([
      '2026-10-23T00:30:00.000Z',
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET an hour later does not fire
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('America/New_York, 30 1 * * * on Nov 1 fires at 01:30 EDT only', () => {
    expect(fires('30 1 * * *', 'America/New_York', '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; 01:30 EST does not fire
      '2026-11-02T06:30:00.000Z',
    ]);
  });

  it('Australia/Lord_Howe, 45 1 * * * on Apr 5 fires at 01:45 (+11) only', () => {
    expect(fires('45 1 * * *', 'Australia/Lord_Howe', '2026-04-03T00:00:00Z', 3)).toEqual([
      '2026-04-03T14:45:00.000Z',
      '2026-04-04T14:45:00.000Z', // Apr 5 01:45 +11; 01:45 +10:30 does not fire
      '2026-04-05T15:15:00.000Z',
    ]);
  });

  it('lists and ranges of hours are fixed-time too (Sundial sets croner fixedTimeRule "no-wildcard")', () => {
    expect(fires('30 2,14 * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z', 2)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T13:30:00.000Z',
    ]);
    expect(fires('0 1-3 * * *', 'Europe/Berlin', '2026-10-24T21:00:00Z', 3)).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST, once
      '2026-10-25T02:00:00.000Z', // 03:00 CET
    ]);
  });
});

describe('wildcard and step expressions follow real time: skip the gap, fire on both passes of a repeated hour', () => {
  it('hourly in Berlin fires every real hour through both changes', () => {
    const spring = fires('0 * * * *', 'Europe/Berlin', '2026-03-28T22:30:00Z', 5);
    expect(spring).toEqual([
      '2026-03-28T23:00:00.000Z', // 00:00 CET
      '2026-03-29T00:00:00.000Z', // 01:00 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST (02:00 does not exist)
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    const autumn = fires('0 * * * *', 'Europe/Berlin', '2026-10-24T22:30:00Z', 5);
    expect(autumn).toEqual([
      '2026-10-24T23:00:00.000Z', // 01:00 CEST
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET: the same wall-clock time, an hour later in real time
      '2026-10-25T02:00:00.000Z', // 03:00 CET
      '2026-10-25T03:00:00.000Z',
    ]);
    expect(gapsInMinutes(spring)).toEqual([60, 60, 60, 60]);
    expect(gapsInMinutes(autumn)).toEqual([60, 60, 60, 60]);
  });

  it('hourly in New York fires every real hour through both changes', () => {
    expect(gapsInMinutes(fires('0 * * * *', 'America/New_York', '2026-03-08T05:30:00Z', 6))).toEqual([60, 60, 60, 60, 60]);
    expect(gapsInMinutes(fires('0 * * * *', 'America/New_York', '2026-11-01T03:30:00Z', 6))).toEqual([60, 60, 60, 60, 60]);
  });

  it('hourly in Lord Howe keeps to the wall clock: 90 minutes across each 30-minute change', () => {
    expect(fires('0 * * * *', 'Australia/Lord_Howe', '2026-04-04T13:30:00Z', 3)).toEqual([
      '2026-04-04T14:00:00.000Z', // 01:00 +11
      '2026-04-04T15:30:00.000Z', // 02:00 +10:30 (01:30–02:00 repeats, 02:00 does not)
      '2026-04-04T16:30:00.000Z', // 03:00 +10:30
    ]);
    expect(fires('0 * * * *', 'Australia/Lord_Howe', '2026-10-03T13:30:00Z', 3)).toEqual([
      '2026-10-03T14:30:00.000Z', // 01:00 +10:30
      '2026-10-03T16:00:00.000Z', // 03:00 +11 (02:00 does not exist)
      '2026-10-03T17:00:00.000Z',
    ]);
  });

  it('every 15 minutes in Lord Howe fires every real quarter hour, both passes of 01:30–02:00 included', () => {
    const autumn = fires('*/15 * * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', 6);
    expect(autumn.map((time) => wallClock(new Date(time), 'Australia/Lord_Howe').slice(11, 16))).toEqual([
      '01:15', '01:30', '01:45', '01:30', '01:45', '02:00',
    ]);
    expect(gapsInMinutes(autumn)).toEqual([15, 15, 15, 15, 15]);
    const spring = fires('*/15 * * * *', 'Australia/Lord_Howe', '2026-10-03T15:00:00Z', 3);
    expect(spring.map((time) => wallClock(new Date(time), 'Australia/Lord_Howe').slice(11, 16))).toEqual(['01:45', '02:30', '02:45']);
  });

  it('a step inside one hour (*/30 2 * * *) skips the day the hour is missing and fires four times the day it repeats', () => {
    expect(fires('*/30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z', 4)).toEqual([
      '2026-03-28T01:00:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:00:00.000Z', // nothing on Mar 29
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(fires('*/30 2 * * *', 'Europe/Berlin', '2026-10-24T22:30:00Z', 5)).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T01:30:00.000Z', // 02:30 CET
      '2026-10-26T01:00:00.000Z',
    ]);
  });

  it('every minute fires 60 times per real hour, across every change', () => {
    const windows: [string, string][] = [
      ['Europe/Berlin', '2026-03-29T00:30:00Z'],
      ['Europe/Berlin', '2026-10-25T00:30:00Z'],
      ['America/New_York', '2026-03-08T06:30:00Z'],
      ['America/New_York', '2026-11-01T05:30:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:30:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:00:00Z'],
    ];
    for (const [timezone, after] of windows) {
      const times = fires('* * * * *', timezone, after, 180);
      expect(new Set(gapsInMinutes(times)), `${timezone} ${after}`).toEqual(new Set([1]));
    }
  });
});

describe('over whole transition days: strictly increasing, and no fixed-time local slot twice', () => {
  const transitions: [string, string][] = [
    ['Europe/Berlin', '2026-03-28T12:00:00Z'],
    ['Europe/Berlin', '2026-10-24T12:00:00Z'],
    ['America/New_York', '2026-03-07T12:00:00Z'],
    ['America/New_York', '2026-10-31T12:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-10-03T00:00:00Z'],
  ];
  const fixedTime = ['30 2 * * *', '0 2 * * *', '45 1 * * *', '0 3 * * *', '15 2,14 * * *', '0 30 1 * * *', '0 9 * * 1-5'];
  const wildcard = ['0 * * * *', '*/15 * * * *', '30 * * * *', '*/30 1-3 * * *', '*/20 * * * * *'];

  for (const [timezone, after] of transitions) {
    it(`${timezone} from ${after}`, () => {
      for (const expression of [...fixedTime, ...wildcard]) {
        const times = nextFireTimes(cron(expression, timezone), { after: new Date(after), count: 400 }).map((d) => d.getTime());
        const increasing = times.every((time, i) => i === 0 || time > (times[i - 1] ?? time));
        expect(increasing, `${expression} strictly increasing`).toBe(true);
        if (fixedTime.includes(expression)) {
          const local = times.map((time) => wallClock(new Date(time), timezone));
          expect(new Set(local).size, `${expression} fires each local time once`).toBe(local.length);
        }
      }
    });
  }
});
