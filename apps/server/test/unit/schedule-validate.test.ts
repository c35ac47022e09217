import { describe, expect, it } from 'vitest';
import {
  maxIntervalSeconds,
  remainingRuns,
  scheduleFromJob,
  toJobFields,
  validateSchedule,
  type FieldError,
  type ScheduleInput,
} from '../../src/services/schedule.js';

const now = new Date('2026-06-01T12:00:00Z');

function errorsOf(input: ScheduleInput): FieldError[] {
  const result = validateSchedule(input, now);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.schedule)}`);
  return result.errors;
}

function messagesFor(input: ScheduleInput, field: string): string[] {
  return errorsOf(input)
    .filter((e) => e.field === field)
    .map((e) => e.message);
}

describe('validateSchedule: every problem at once', () => {
  it('reports each wrong field of a CRON schedule in one answer', () => {
    const errors = errorsOf({
      scheduleKind: 'CRON',
      cron: '61 25 * 13 *',
      timezone: 'europe/berlin',
      intervalSeconds: 60,
      startAt: '2026-07-01T00:00:00Z',
      endAt: '2026-05-01T00:00:00Z',
      runLimit: 0,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(
      ['cron', 'cron', 'cron', 'endAt', 'endAt', 'intervalSeconds', 'runLimit', 'timezone'].sort(),
    );
    const cron = errors.filter((e) => e.field === 'cron').map((e) => e.message);
    expect(cron[0]).toContain("minute field '61'");
    expect(cron[0]).toContain('minutes are 0-59');
    expect(cron[1]).toContain("hour field '25'");
    expect(cron[1]).toContain('hours are 0-23');
    expect(cron[2]).toContain("month field '13'");
    expect(cron[2]).toContain('1-12 or JAN-DEC');
  });

  it('accepts a MANUAL schedule with nothing, and defaults kind to MANUAL and timezone to UTC', () => {
    expect(validateSchedule({ scheduleKind: 'MANUAL' }, now)).toEqual({
      ok: true,
      schedule: { scheduleKind: 'MANUAL', timezone: 'UTC', runCount: 0 },
    });
    expect(validateSchedule({}, now)).toEqual({ ok: true, schedule: { scheduleKind: 'MANUAL', timezone: 'UTC', runCount: 0 } });
  });

  it('rejects an unknown kind and names the kinds', () => {
    expect(messagesFor({ scheduleKind: 'cron' }, 'scheduleKind')).toEqual([
      "scheduleKind must be one of MANUAL, CRON, INTERVAL, ONCE; got 'cron'.",
    ]);
  });

  it('rejects fields that belong to another kind, naming the kinds that use them', () => {
    const errors = errorsOf({
      scheduleKind: 'MANUAL',
      cron: '0 9 * * *',
      intervalSeconds: 60,
      runAt: '2026-12-01T09:00:00Z',
      startAt: '2026-12-01T09:00:00Z',
      endAt: '2027-12-01T09:00:00Z',
      runLimit: 3,
    });
    expect(errors.map((e) => e.field)).toEqual(['cron', 'intervalSeconds', 'runAt', 'startAt', 'endAt', 'runLimit']);
    expect(errors[0]?.message).toBe('cron is only used by CRON schedules: leave it empty for a MANUAL schedule.');
    expect(errors[3]?.message).toBe('startAt is only used by CRON and INTERVAL schedules: leave it empty for a MANUAL schedule.');
    expect(messagesFor({ scheduleKind: 'ONCE', runAt: '2026-12-01T09:00:00Z', runLimit: 1 }, 'runLimit')).toEqual([
      'runLimit is only used by CRON and INTERVAL schedules: leave it empty for a ONCE schedule.',
    ]);
    expect(messagesFor({ scheduleKind: 'INTERVAL', intervalSeconds: 60, cron: '* * * * *' }, 'cron')).toEqual([
      'cron is only used by CRON schedules: leave it empty for an INTERVAL schedule.',
    ]);
  });

  it('treats null and empty strings as empty, so a form can send every field', () => {
    const result = validateSchedule(
      { scheduleKind: 'INTERVAL', intervalSeconds: 900, cron: '', runAt: null, timezone: '', startAt: null, runLimit: null },
      now,
    );
    expect(result.ok).toBe(true);
  });
});

describe('validateSchedule: cron', () => {
  const cronErrors = (cron: string | null): string[] => messagesFor({ scheduleKind: 'CRON', cron }, 'cron');

  it('requires an expression for a CRON schedule', () => {
    expect(cronErrors(null)).toEqual(["A CRON schedule needs a cron expression, e.g. '0 9 * * 1-5' (09:00, Monday to Friday)."]);
    expect(cronErrors('   ')).toHaveLength(1);
  });

  it('wants 5 or 6 fields and says how many it got', () => {
    expect(cronErrors('* * *')).toEqual([
      "A cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (second first); '* * *' has 3.",
    ]);
    expect(cronErrors('0 0 0 * * * 2027')[0]).toContain('has 7');
  });

  it('quotes the bad part and says what the field allows', () => {
    expect(cronErrors('x * * * *')).toEqual([
      "The minute field 'x' in 'x * * * *' is not valid: minutes are 0-59; each field takes *, a value, a list (1,15), a range (1-5) or a step (*/15, 0-30/10).",
    ]);
    expect(cronErrors('*/0 * * * *')[0]).toContain("minute field '*/0'");
    expect(cronErrors('0 9 * * 8')[0]).toContain("day-of-week field '8'");
    expect(cronErrors('0 9 32 * *')[0]).toContain("day-of-month field '32'");
    expect(cronErrors('60 0 9 * * *')[0]).toContain("second field '60'");
  });

  it('refuses nicknames and gives the five fields to write instead', () => {
    expect(cronErrors('@daily')).toEqual(["Write '@daily' as the five fields '0 0 * * *': nicknames are not supported."]);
    expect(cronErrors('@reboot')[0]).toContain("'@reboot' is not a cron expression");
  });

  it('refuses an expression that never fires', () => {
    expect(cronErrors('0 0 30 2 *')).toEqual(["'0 0 30 2 *' never fires: no date matches it."]);
  });

  it('accepts 5 and 6 fields, names, L, W and #, and stores the expression with single spaces', () => {
    for (const cron of ['0 9 * * 1-5', '*/10 * * * * *', '0 30 9 * * MON-FRI', '0 0 L * *', '0 0 15W * *', '5 4 * * SUN#2', '0 18 * * FRI#L', '0 0 * * 5L', '0 9 * JAN-MAR 7']) {
      expect(validateSchedule({ scheduleKind: 'CRON', cron }, now).ok, cron).toBe(true);
    }
    const result = validateSchedule({ scheduleKind: 'CRON', cron: '  0  9 *\t* 1-5 ' }, now);
    expect(result.ok && result.schedule.scheduleKind === 'CRON' && result.schedule.cron).toBe('0 9 * * 1-5');
  });
});

describe('validateSchedule: timezone', () => {
  const zoneErrors = (timezone: string): string[] => messagesFor({ scheduleKind: 'CRON', cron: '0 9 * * *', timezone }, 'timezone');
  const zoneOf = (timezone: string): string | null => {
    const result = validateSchedule({ scheduleKind: 'CRON', cron: '0 9 * * *', timezone }, now);
    return result.ok ? result.schedule.timezone : null;
  };

  it('accepts IANA names, UTC, and IANA links that Node lists under another name', () => {
    expect(zoneOf('Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneOf('UTC')).toBe('UTC');
    expect(zoneOf('Australia/Lord_Howe')).toBe('Australia/Lord_Howe');
    // Node 20's ICU lists Asia/Calcutta and Europe/Kiev; the current IANA names must work too, as typed.
    expect(zoneOf('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(zoneOf('Europe/Kyiv')).toBe('Europe/Kyiv');
  });

  it('points out a wrong case', () => {
    expect(zoneErrors('europe/berlin')).toEqual(["Unknown timezone 'europe/berlin': names are case-sensitive, did you mean 'Europe/Berlin'?"]);
  });

  it('suggests close names for typos and bare cities', () => {
    expect(zoneErrors('Europe/Madird')).toEqual([
      "Unknown timezone 'Europe/Madird'. Use an IANA name such as 'Europe/Berlin', or 'UTC'. Did you mean 'Europe/Madrid'?",
    ]);
    expect(zoneErrors('Berlin')[0]).toContain("Did you mean 'Europe/Berlin'?");
    expect(zoneErrors('new york')[0]).toContain("Did you mean 'America/New_York'?");
  });

  it('refuses abbreviations, which do not follow daylight saving time', () => {
    expect(zoneErrors('EST')).toEqual([
      "'EST' is not a region timezone: use an IANA name such as 'Europe/Berlin' or 'America/New_York' (which follow daylight saving time), or 'UTC'.",
    ]);
    expect(zoneErrors('CET')).toHaveLength(1);
    expect(zoneErrors('Mars/Olympus_Mons')[0]).toContain("Unknown timezone 'Mars/Olympus_Mons'");
  });
});

describe('validateSchedule: interval', () => {
  const intervalErrors = (intervalSeconds: unknown): string[] =>
    messagesFor({ scheduleKind: 'INTERVAL', intervalSeconds: intervalSeconds as number }, 'intervalSeconds');
  const allowed = `a whole number of seconds from 1 to ${maxIntervalSeconds} (366 days)`;

  it('requires a whole number of seconds from 1 to a year', () => {
    expect(intervalErrors(null)).toEqual([`An INTERVAL schedule needs intervalSeconds: ${allowed}.`]);
    expect(intervalErrors(0)).toEqual([`intervalSeconds must be ${allowed}; got 0.`]);
    expect(intervalErrors(-5)).toEqual([`intervalSeconds must be ${allowed}; got -5.`]);
    expect(intervalErrors(1.5)).toEqual([`intervalSeconds must be ${allowed}; got 1.5.`]);
    expect(intervalErrors('60')).toEqual([`intervalSeconds must be ${allowed}; got '60'.`]);
    expect(intervalErrors(maxIntervalSeconds + 1)).toHaveLength(1);
    expect(validateSchedule({ scheduleKind: 'INTERVAL', intervalSeconds: maxIntervalSeconds }, now).ok).toBe(true);
    expect(validateSchedule({ scheduleKind: 'INTERVAL', intervalSeconds: 1 }, now).ok).toBe(true);
  });
});

describe('validateSchedule: once-at and dates', () => {
  it('requires runAt for ONCE, in the future, shown in the schedule timezone', () => {
    expect(messagesFor({ scheduleKind: 'ONCE' }, 'runAt')).toEqual(['A ONCE schedule needs runAt: the date and time it runs, in the future.']);
    expect(messagesFor({ scheduleKind: 'ONCE', runAt: now, timezone: 'Europe/Madrid' }, 'runAt')).toEqual([
      'runAt must be in the future: 2026-06-01 14:00 Europe/Madrid is not after now (2026-06-01 14:00 Europe/Madrid).',
    ]);
  });

  it('reads ISO 8601 strings with an offset, and refuses local times and impossible dates', () => {
    const result = validateSchedule({ scheduleKind: 'ONCE', runAt: '2026-12-01T09:00:00+01:00' }, now);
    expect(result.ok && result.schedule.scheduleKind === 'ONCE' && result.schedule.runAt.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    const withMs = validateSchedule({ scheduleKind: 'ONCE', runAt: '2026-12-01T08:00:00.25Z' }, now);
    expect(withMs.ok && withMs.schedule.scheduleKind === 'ONCE' && withMs.schedule.runAt.toISOString()).toBe('2026-12-01T08:00:00.250Z');
    const format = "runAt must be a date and time with a UTC offset, e.g. '2026-12-01T09:00:00+01:00' or '2026-12-01T08:00:00Z'";
    expect(messagesFor({ scheduleKind: 'ONCE', runAt: '2026-12-01T09:00' }, 'runAt')).toEqual([`${format}; got '2026-12-01T09:00'.`]);
    expect(messagesFor({ scheduleKind: 'ONCE', runAt: '2027-02-30T09:00:00Z' }, 'runAt')).toEqual([`${format}; got '2027-02-30T09:00:00Z'.`]);
    expect(messagesFor({ scheduleKind: 'ONCE', runAt: new Date(Number.NaN) }, 'runAt')).toEqual(['runAt is not a valid date.']);
  });

  it('wants endAt in the future and after startAt (both said when both are wrong); startAt may be past', () => {
    const base = { scheduleKind: 'CRON', cron: '0 9 * * *' } as const;
    expect(messagesFor({ ...base, startAt: '2026-08-01T00:00:00Z', endAt: '2026-07-01T00:00:00Z' }, 'endAt')).toEqual([
      'endAt must be after startAt: 2026-07-01 00:00 UTC is not after 2026-08-01 00:00 UTC.',
    ]);
    expect(messagesFor({ ...base, endAt: '2026-05-01T00:00:00Z', startAt: '2026-05-02T00:00:00Z' }, 'endAt')).toHaveLength(2);
    expect(messagesFor({ ...base, endAt: '2026-06-01T12:00:00Z' }, 'endAt')).toEqual([
      'endAt must be in the future: 2026-06-01 12:00 UTC is not after now (2026-06-01 12:00 UTC).',
    ]);
    expect(validateSchedule({ ...base, startAt: '2020-01-01T00:00:00Z', endAt: '2027-01-01T00:00:00Z' }, now).ok).toBe(true);
  });

  it('refuses a window with no occurrence in it', () => {
    // 09:00 daily; now is 12:00, the window ends at 18:00 the same day.
    expect(messagesFor({ scheduleKind: 'CRON', cron: '0 9 * * *', endAt: '2026-06-01T18:00:00Z' }, 'endAt')).toEqual([
      'No occurrence falls between now and endAt (2026-06-01 18:00 UTC): move endAt later or change the schedule.',
    ]);
    expect(
      messagesFor({ scheduleKind: 'INTERVAL', intervalSeconds: 86_400, startAt: '2026-05-01T00:00:00Z', endAt: '2026-06-01T18:00:00Z' }, 'endAt'),
    ).toHaveLength(1);
  });
});

describe('validateSchedule: run limit', () => {
  const limitErrors = (runLimit: number, runCount?: number): string[] =>
    messagesFor({ scheduleKind: 'INTERVAL', intervalSeconds: 60, runLimit, runCount }, 'runLimit');

  it('wants a whole number ≥ 1', () => {
    const message = 'runLimit must be a whole number of runs, at least 1 (leave it empty for no limit); got';
    expect(limitErrors(0)).toEqual([`${message} 0.`]);
    expect(limitErrors(2.5)).toEqual([`${message} 2.5.`]);
    expect(validateSchedule({ scheduleKind: 'INTERVAL', intervalSeconds: 60, runLimit: 1 }, now).ok).toBe(true);
  });

  it('accepts a limit the job has already reached (an unchanged schedule re-checked), which then has no next time', () => {
    const result = validateSchedule({ scheduleKind: 'INTERVAL', intervalSeconds: 60, runLimit: 12, runCount: 12 }, now);
    expect(result.ok && remainingRuns(result.schedule)).toBe(0);
    expect(messagesFor({ scheduleKind: 'MANUAL', runCount: -1 }, 'runCount')).toEqual(['runCount must be a whole number ≥ 0; got -1.']);
  });
});

describe('the jobs table', () => {
  it('writes every schedule column and reads the same schedule back', () => {
    const result = validateSchedule(
      { scheduleKind: 'CRON', cron: '0 9 * * 1-5', timezone: 'Europe/Madrid', endAt: '2027-01-01T00:00:00+01:00', runLimit: 10, runCount: 2 },
      now,
    );
    if (!result.ok) throw new Error('expected a valid schedule');
    const fields = toJobFields(result.schedule);
    expect(fields).toEqual({
      scheduleKind: 'CRON',
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Madrid',
      intervalSeconds: null,
      runAt: null,
      startAt: null,
      endAt: new Date('2026-12-31T23:00:00Z'),
      runLimit: 10,
      runCount: 2,
    });
    expect(scheduleFromJob(fields)).toEqual(result.schedule);
    expect(() => scheduleFromJob({ ...fields, cron: null })).toThrow('A CRON job has no cron');
  });
});
