import { cronExample, cronProblems, normalizeCron } from './cron.js';
import { occurrencesAfter } from './occurrences.js';
import { checkTimezone, defaultTimezone, formatLocal } from './timezone.js';
import {
  scheduleKinds,
  type FieldError,
  type Schedule,
  type ScheduleBounds,
  type ScheduleField,
  type ScheduleInput,
  type ScheduleKind,
  type ScheduleValidation,
} from './types.js';

/** The longest interval: a year. Calendar periods (monthly, yearly) belong to cron, which knows month lengths. */
export const maxIntervalSeconds = 366 * 24 * 60 * 60;
/** The jobs table stores the limit in a 32-bit integer. */
export const maxRunLimit = 2_147_483_647;

/**
 * The fields each kind uses besides scheduleKind and timezone (which every kind has: a cron is read in it, the
 * others show their dates in it). A field of another kind that is not empty is an error, never silently
 * dropped: an API caller who sends `cron` with an INTERVAL schedule has made a mistake worth telling.
 */
const kindFields: Record<ScheduleKind, readonly ScheduleField[]> = {
  MANUAL: [],
  CRON: ['cron', 'startAt', 'endAt', 'runLimit'],
  INTERVAL: ['intervalSeconds', 'startAt', 'endAt', 'runLimit'],
  ONCE: ['runAt'],
};
const kindSpecificFields: readonly ScheduleField[] = ['cron', 'intervalSeconds', 'runAt', 'startAt', 'endAt', 'runLimit'];

/**
 * Check a schedule a user or an API call wants to save, at `now`. Reports every problem at once, one error
 * per problem, each naming its field. The future-time rules (runAt and endAt after now) are save-time rules:
 * to re-check a stored schedule that did not change, pass a `now` long past (new Date(0)); to use a stored
 * schedule, read it with scheduleFromJob.
 */
export function validateSchedule(input: ScheduleInput, now: Date): ScheduleValidation {
  const errors: FieldError[] = [];
  const fail = (field: ScheduleField, message: string): void => {
    errors.push({ field, message });
  };

  const kind = readKind(input.scheduleKind, fail);
  const timezone = readTimezone(input.timezone, fail);
  const runCount = readRunCount(input.runCount, fail);
  // Dates in messages read best in the schedule's own timezone.
  const show = (instant: Date): string =>
    timezone === null ? instant.toISOString() : `${formatLocal(instant, timezone)} ${timezone}`;

  const used = new Set<ScheduleField>(kind === null ? kindSpecificFields : kindFields[kind]);
  for (const field of kindSpecificFields) {
    if (kind !== null && !used.has(field) && !isEmpty(input[field])) fail(field, notUsedMessage(field, kind));
  }
  const given = (field: ScheduleField): boolean => used.has(field) && !isEmpty(input[field]);

  let cron: string | null = null;
  if (kind === 'CRON' && !given('cron')) fail('cron', `A CRON schedule needs a cron expression, e.g. ${cronExample}.`);
  if (given('cron')) {
    if (typeof input.cron !== 'string') fail('cron', `cron must be text such as ${cronExample}.`);
    else {
      const problems = cronProblems(input.cron);
      for (const problem of problems) fail('cron', problem);
      if (problems.length === 0) cron = normalizeCron(input.cron);
    }
  }

  let intervalSeconds: number | null = null;
  if (kind === 'INTERVAL' && !given('intervalSeconds')) {
    fail('intervalSeconds', `An INTERVAL schedule needs intervalSeconds: ${intervalAllowed}.`);
  }
  if (given('intervalSeconds')) {
    const value = input.intervalSeconds;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxIntervalSeconds) {
      fail('intervalSeconds', `intervalSeconds must be ${intervalAllowed}; got ${quote(value)}.`);
    } else intervalSeconds = value;
  }

  let runAt: Date | null = null;
  if (kind === 'ONCE' && !given('runAt')) fail('runAt', 'A ONCE schedule needs runAt: the date and time it runs, in the future.');
  if (given('runAt')) {
    runAt = readInstant('runAt', input.runAt, fail);
    if (runAt !== null && runAt <= now) {
      fail('runAt', `runAt must be in the future: ${show(runAt)} is not after now (${show(now)}).`);
    }
  }

  const startAt = given('startAt') ? readInstant('startAt', input.startAt, fail) : null;
  const endAt = given('endAt') ? readInstant('endAt', input.endAt, fail) : null;
  if (endAt !== null) {
    if (endAt <= now) fail('endAt', `endAt must be in the future: ${show(endAt)} is not after now (${show(now)}).`);
    if (startAt !== null && endAt <= startAt) {
      fail('endAt', `endAt must be after startAt: ${show(endAt)} is not after ${show(startAt)}.`);
    }
  }

  let runLimit: number | null = null;
  if (given('runLimit')) {
    const value = input.runLimit;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maxRunLimit) {
      fail('runLimit', `runLimit must be a whole number of runs, at least 1 (leave it empty for no limit); got ${quote(value)}.`);
    } else runLimit = value;
    // A limit at or below runCount is not an error: re-checking an unchanged schedule of a job that reached its
    // limit must pass (to rename the job, say). Such a schedule has no next fire time; the job service disables it.
  }

  if (errors.length > 0 || kind === null || timezone === null || runCount === null) return { ok: false, errors };

  const bounds: ScheduleBounds = { startAt, endAt, runLimit, runCount };
  let schedule: Schedule;
  switch (kind) {
    case 'MANUAL':
      schedule = { scheduleKind: 'MANUAL', timezone, runCount };
      break;
    case 'ONCE':
      schedule = { scheduleKind: 'ONCE', runAt: required(runAt), timezone, runCount };
      break;
    case 'CRON':
      schedule = { scheduleKind: 'CRON', cron: required(cron), timezone, ...bounds };
      break;
    case 'INTERVAL':
      schedule = { scheduleKind: 'INTERVAL', intervalSeconds: required(intervalSeconds), timezone, ...bounds };
      break;
  }

  // Each field can be fine while the whole never fires: Feb 30, or no slot between now and endAt.
  // The run limit is left out here (see runLimit above): only the expression and the window are judged.
  if ((schedule.scheduleKind === 'CRON' || schedule.scheduleKind === 'INTERVAL') &&
      occurrencesAfter(schedule, now, now).next().done === true) {
    if (schedule.endAt !== null) {
      fail('endAt', `No occurrence falls between now and endAt (${show(schedule.endAt)}): move endAt later or change the schedule.`);
    } else if (schedule.scheduleKind === 'CRON') {
      fail('cron', `'${schedule.cron}' never fires: no date matches it.`);
    }
    return { ok: false, errors };
  }
  return { ok: true, schedule };
}

const intervalAllowed = `a whole number of seconds from 1 to ${maxIntervalSeconds} (366 days)`;

function readKind(value: ScheduleInput['scheduleKind'], fail: (field: ScheduleField, message: string) => void): ScheduleKind | null {
  if (value === undefined || value === null || value === '') return 'MANUAL';
  const kind = scheduleKinds.find((k) => k === value);
  if (kind === undefined) fail('scheduleKind', `scheduleKind must be one of ${scheduleKinds.join(', ')}; got ${quote(value)}.`);
  return kind ?? null;
}

function readTimezone(value: unknown, fail: (field: ScheduleField, message: string) => void): string | null {
  if (isEmpty(value)) return defaultTimezone;
  if (typeof value !== 'string') {
    fail('timezone', `timezone must be an IANA name such as 'Europe/Berlin', or 'UTC'; got ${quote(value)}.`);
    return null;
  }
  const check = checkTimezone(value.trim());
  if (check.ok) return check.timezone;
  fail('timezone', check.message);
  return null;
}

function readRunCount(value: unknown, fail: (field: ScheduleField, message: string) => void): number | null {
  if (isEmpty(value)) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  fail('runCount', `runCount must be a whole number ≥ 0; got ${quote(value)}.`);
  return null;
}

const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A Date, or an ISO 8601 string with a UTC offset; a local time alone would be ambiguous. */
function readInstant(field: ScheduleField, value: unknown, fail: (field: ScheduleField, message: string) => void): Date | null {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return value;
    fail(field, `${field} is not a valid date.`);
    return null;
  }
  const parsed = typeof value === 'string' ? parseIsoInstant(value.trim()) : null;
  if (parsed === null) {
    fail(
      field,
      `${field} must be a date and time with a UTC offset, e.g. '2026-12-01T09:00:00+01:00' or '2026-12-01T08:00:00Z'; got ${quote(value)}.`,
    );
  }
  return parsed;
}

function parseIsoInstant(text: string): Date | null {
  const match = isoInstant.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number, number, number, number, number, number,
  ];
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(local);
  // Date.UTC rolls 30 February over into March; a typo like that should be an error, not another day.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
      check.getUTCHours() !== hour || check.getUTCMinutes() !== minute || check.getUTCSeconds() !== second) {
    return null;
  }
  const zone = match[8] ?? 'Z';
  if (zone.toUpperCase() === 'Z') return check;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  if (offsetMinutes > 18 * 60) return null;
  return new Date(local - sign * offsetMinutes * 60_000);
}

function notUsedMessage(field: ScheduleField, kind: ScheduleKind): string {
  const users = scheduleKinds.filter((k) => kindFields[k].includes(field));
  const article = kind === 'INTERVAL' ? 'an' : 'a';
  return `${field} is only used by ${users.join(' and ')} schedules: leave it empty for ${article} ${kind} schedule.`;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function required<T>(value: T | null): T {
  // Reached only when no error was recorded, which means the kind's required field was read.
  if (value === null) throw new Error('schedule field missing after validation');
  return value;
}
