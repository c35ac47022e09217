/**
 * Calendars: named sets of time windows in one IANA timezone, and what they make of a job's slot. Pure, like the
 * rest of services/schedule (no database, no clock), so the engine that fires a slot and the preview that shows it
 * judge it alike. The user guide is docs/calendars.md.
 *
 * Glossary:
 * - entry: one rule of a calendar — a DATE_RANGE (whole local days, both inclusive), a WEEKLY window (local times on
 *   some days of the week; an end at or before the start crosses midnight into the next day; equal start and end is
 *   the whole day), or a YEARLY date (a whole local day every year, e.g. a holiday; 29 February in leap years only).
 * - window: one interval [start, end) an entry makes, as instants. A local time that a clock change skips is the first instant
 *   after the gap, as for schedules (02:30 on the spring-forward night in Berlin is 03:00 CEST); a local time that
 *   happens twice is its first occurrence.
 * - ONLY_INSIDE / NEVER_INSIDE: how a job attaches a calendar. A slot is ruled out when it is inside a window of
 *   any never-inside calendar, or when the job has only-inside calendars and the slot is in none of their windows.
 * - move: the first instant at or after the slot that no calendar rules out: the end of the (merged) blackout, or
 *   the start of the next only-inside window.
 */
import type { SlotSource } from './entries.js';
import { nextFireTimes } from './occurrences.js';
import { checkTimezone } from './timezone.js';

export const weekdays = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof weekdays)[number];
export const calendarEntryKinds = ['DATE_RANGE', 'WEEKLY', 'YEARLY'] as const;
export type CalendarEntryKind = (typeof calendarEntryKinds)[number];
export type CalendarMode = 'ONLY_INSIDE' | 'NEVER_INSIDE';

export type CalendarEntry =
  | { kind: 'DATE_RANGE'; label: string | null; from: string; to: string }
  | { kind: 'WEEKLY'; label: string | null; days: Weekday[]; startTime: string; endTime: string }
  | { kind: 'YEARLY'; label: string | null; month: number; day: number };

/** A calendar as far as judging slots needs it. */
export interface CalendarRules {
  name: string;
  timezone: string;
  entries: readonly CalendarEntry[];
}

export interface AttachedCalendar {
  calendar: CalendarRules;
  mode: CalendarMode;
}

export interface TimeWindow {
  start: Date;
  end: Date;
}

/** One problem with one field of a calendar: `timezone`, `entries[2].startTime`. */
export interface CalendarFieldError {
  field: string;
  message: string;
}

/** Entries per calendar at most. */
export const maxCalendarEntries = 500;
/** How far a move looks for a free instant after its slot. */
export const moveHorizonDays = 400;

// --- checking what a form or an API call sends ----------------------------------------------------------------

/** One entry as sent: the fields of its kind, the others absent or null. */
export interface CalendarEntryInput {
  kind?: string | null;
  label?: string | null;
  from?: string | null;
  to?: string | null;
  days?: readonly string[] | null;
  startTime?: string | null;
  endTime?: string | null;
  month?: number | null;
  day?: number | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function validDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Days per month, February with its 29th (a yearly date on it falls in leap years only). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Checks a calendar's timezone and entries; errors are named `timezone` and `entries[i].field`. */
export function validateCalendarRules(
  timezone: string,
  inputs: readonly CalendarEntryInput[],
): { ok: true; timezone: string; entries: CalendarEntry[] } | { ok: false; errors: CalendarFieldError[] } {
  const errors: CalendarFieldError[] = [];
  const zone = checkTimezone(timezone);
  if (!zone.ok) errors.push({ field: 'timezone', message: zone.message });
  if (inputs.length > maxCalendarEntries) errors.push({ field: 'entries', message: `at most ${maxCalendarEntries} entries` });
  const entries: CalendarEntry[] = [];
  inputs.forEach((input, index) => {
    const at = (field: string) => `entries[${index}].${field}`;
    const label = input.label?.trim() ? input.label.trim().slice(0, 200) : null;
    switch (input.kind) {
      case 'DATE_RANGE': {
        const from = input.from ?? '';
        const to = input.to ?? from;
        if (!validDate(from)) errors.push({ field: at('from'), message: 'a date range needs from as YYYY-MM-DD (e.g. 2026-12-24)' });
        else if (!validDate(to)) errors.push({ field: at('to'), message: 'to is a date as YYYY-MM-DD (e.g. 2026-12-26), or left out for one day' });
        else if (to < from) errors.push({ field: at('to'), message: `ends (${to}) before it starts (${from})` });
        else entries.push({ kind: 'DATE_RANGE', label, from, to });
        return;
      }
      case 'WEEKLY': {
        const days = input.days ?? [];
        const unknown = days.filter((day) => !(weekdays as readonly string[]).includes(day));
        let ok = true;
        if (days.length === 0) {
          errors.push({ field: at('days'), message: `a weekly window needs at least one day: ${weekdays.join(', ')}` });
          ok = false;
        } else if (unknown.length > 0) {
          errors.push({ field: at('days'), message: `unknown day ${unknown.map((day) => `"${day}"`).join(', ')}; days are ${weekdays.join(', ')}` });
          ok = false;
        }
        for (const field of ['startTime', 'endTime'] as const) {
          if (!TIME.test(input[field] ?? '')) {
            errors.push({ field: at(field), message: 'a local time as HH:MM, 00:00–23:59 (an end at or before the start ends the next day)' });
            ok = false;
          }
        }
        if (ok) {
          const unique = weekdays.filter((day) => days.includes(day));
          entries.push({ kind: 'WEEKLY', label, days: unique, startTime: input.startTime!, endTime: input.endTime! });
        }
        return;
      }
      case 'YEARLY': {
        const month = input.month ?? 0;
        const day = input.day ?? 0;
        if (!Number.isInteger(month) || month < 1 || month > 12) errors.push({ field: at('month'), message: 'a month from 1 (January) to 12 (December)' });
        else if (!Number.isInteger(day) || day < 1 || day > MONTH_DAYS[month - 1]!) {
          errors.push({ field: at('day'), message: `a day of month ${month} from 1 to ${MONTH_DAYS[month - 1]}` });
        } else entries.push({ kind: 'YEARLY', label, month, day });
        return;
      }
      default:
        errors.push({ field: at('kind'), message: `kind is one of ${calendarEntryKinds.join(', ')}` });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, timezone: zone.ok ? zone.timezone : timezone, entries };
}

/** Stored entries (a calendars row's JSON, written by validateCalendarRules) as rules; anything else is left out. */
export function storedEntries(json: unknown): CalendarEntry[] {
  if (!Array.isArray(json)) return [];
  return json.filter((entry): entry is CalendarEntry => typeof entry === 'object' && entry !== null && (calendarEntryKinds as readonly string[]).includes((entry as { kind?: string }).kind ?? ''));
}

// --- local time in a timezone ------------------------------------------------------------------------------------

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, format);
  }
  return format;
}

/** The wall-clock fields of an instant in a timezone, as a UTC timestamp of those fields. */
function wallClock(instant: number, timezone: string): number {
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(timezone).formatToParts(new Date(instant))) {
    if (part.type in parts) parts[part.type as keyof typeof parts] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The timezone's offset from UTC at an instant, in ms (whole seconds: the instant's milliseconds are ignored). */
function offsetAt(instant: number, timezone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timezone) - whole;
}

/**
 * The instant a local time names: its first occurrence when the clock shows it twice; the first instant after the
 * gap when a clock change skips it.
 */
export function localInstant(date: LocalDate, minutes: number, timezone: string): Date {
  const local = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const before = offsetAt(local - 86_400_000, timezone);
  const after = offsetAt(local + 86_400_000, timezone);
  const candidates = [local - before, local - after].filter((instant) => instant + offsetAt(instant, timezone) === local);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In a gap: the instant the clock jumps (between the two readings), found to the second.
  let low = local - after;
  let high = local - before;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(middle, timezone) === before) low = middle;
    else high = middle;
  }
  return new Date(high);
}

function localDateOf(instant: Date, timezone: string): LocalDate {
  const wall = new Date(wallClock(instant.getTime(), timezone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

function parseDate(text: string): LocalDate {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function weekdayOf(date: LocalDate): Weekday {
  return weekdays[(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7]!;
}

// --- windows -----------------------------------------------------------------------------------------------------

/** The window an entry starts on a local date, if it starts one that day (a date range starts on its first day). */
function windowStartingOn(entry: CalendarEntry, date: LocalDate, timezone: string): TimeWindow | null {
  switch (entry.kind) {
    case 'DATE_RANGE': {
      const from = parseDate(entry.from);
      if (from.year !== date.year || from.month !== date.month || from.day !== date.day) return null;
      return { start: localInstant(from, 0, timezone), end: localInstant(addDays(parseDate(entry.to), 1), 0, timezone) };
    }
    case 'WEEKLY': {
      if (!entry.days.includes(weekdayOf(date))) return null;
      const start = minutesOf(entry.startTime);
      const end = minutesOf(entry.endTime);
      return { start: localInstant(date, start, timezone), end: localInstant(end > start ? date : addDays(date, 1), end, timezone) };
    }
    case 'YEARLY':
      if (entry.month !== date.month || entry.day !== date.day) return null;
      return { start: localInstant(date, 0, timezone), end: localInstant(addDays(date, 1), 0, timezone) };
  }
}

/** The calendar's windows that contain the instant. */
export function windowsAt(calendar: CalendarRules, instant: Date): TimeWindow[] {
  const today = localDateOf(instant, calendar.timezone);
  const found: TimeWindow[] = [];
  for (const entry of calendar.entries) {
    if (entry.kind === 'DATE_RANGE') {
      const window = { start: localInstant(parseDate(entry.from), 0, calendar.timezone), end: localInstant(addDays(parseDate(entry.to), 1), 0, calendar.timezone) };
      if (window.start <= instant && instant < window.end) found.push(window);
      continue;
    }
    // A weekly or yearly window lasts a day at most (plus an hour across a clock change): it started today or yesterday.
    for (const date of [addDays(today, -1), today]) {
      const window = windowStartingOn(entry, date, calendar.timezone);
      if (window && window.start <= instant && instant < window.end) found.push(window);
    }
  }
  return found;
}

/** The first window start of the calendar at or after the instant, looking `horizonDays` ahead; null: none. */
export function nextWindowStart(calendar: CalendarRules, instant: Date, horizonDays = moveHorizonDays): Date | null {
  let best: Date | null = null;
  const consider = (start: Date) => {
    if (start >= instant && (!best || start < best)) best = start;
  };
  const today = localDateOf(instant, calendar.timezone);
  for (const entry of calendar.entries) {
    if (entry.kind === 'DATE_RANGE') {
      consider(localInstant(parseDate(entry.from), 0, calendar.timezone));
      continue;
    }
    for (let offset = 0; offset <= horizonDays; offset += 1) {
      const window = windowStartingOn(entry, addDays(today, offset), calendar.timezone);
      if (window && window.start >= instant) {
        consider(window.start);
        break;
      }
    }
  }
  const limit = instant.getTime() + (horizonDays + 1) * 86_400_000;
  return best !== null && (best as Date).getTime() <= limit ? best : null;
}

// --- slots ---------------------------------------------------------------------------------------------------------

export type SlotVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** The calendar that rules the slot out (for only-inside: the first of the job's only-inside calendars). */
      calendar: string;
      mode: CalendarMode;
      /** "inside blackout calendar "Holidays"", "outside calendar "Business hours" (only inside)". */
      reason: string;
    };

/** Whether the calendars allow a slot, and which rules it out. */
export function judgeSlot(slot: Date, attached: readonly AttachedCalendar[]): SlotVerdict {
  for (const { calendar, mode } of attached) {
    if (mode === 'NEVER_INSIDE' && windowsAt(calendar, slot).length > 0) {
      return { allowed: false, calendar: calendar.name, mode, reason: `inside blackout calendar "${calendar.name}"` };
    }
  }
  const only = attached.filter((entry) => entry.mode === 'ONLY_INSIDE');
  if (only.length > 0 && !only.some(({ calendar }) => windowsAt(calendar, slot).length > 0)) {
    const names = only.map(({ calendar }) => `"${calendar.name}"`).join(' or ');
    return { allowed: false, calendar: only[0]!.calendar.name, mode: 'ONLY_INSIDE', reason: `outside calendar ${names} (only inside)` };
  }
  return { allowed: true };
}

/**
 * Where a ruled-out slot moves: the first instant at or after it that the calendars allow — the end of the blackout
 * (windows that touch or overlap count as one), or the start of the next only-inside window. Null: none within
 * `horizonDays` (e.g. a calendar that never ends).
 */
export function movedSlot(slot: Date, attached: readonly AttachedCalendar[], horizonDays = moveHorizonDays): Date | null {
  const limit = slot.getTime() + horizonDays * 86_400_000;
  let at = slot;
  // Each step jumps to a window's end or start, so it gets past at least one window: bounded by the windows in range.
  for (let step = 0; step < 5000 && at.getTime() <= limit; step += 1) {
    const verdict = judgeSlot(at, attached);
    if (verdict.allowed) return at;
    if (verdict.mode === 'NEVER_INSIDE') {
      let end = at;
      for (const { calendar, mode } of attached) {
        if (mode !== 'NEVER_INSIDE') continue;
        for (const window of windowsAt(calendar, at)) if (window.end > end) end = window.end;
      }
      at = end;
    } else {
      const starts = attached
        .filter(({ mode }) => mode === 'ONLY_INSIDE')
        .map(({ calendar }) => nextWindowStart(calendar, at, horizonDays))
        .filter((start): start is Date => start !== null);
      if (starts.length === 0) return null;
      at = new Date(Math.min(...starts.map((start) => start.getTime())));
    }
  }
  return null;
}

// --- the preview ---------------------------------------------------------------------------------------------------

/** A slot of a preview as the calendars leave it. */
export interface JudgedSlot<K> {
  at: Date;
  key: K;
  /** The slot it was moved from (blackout policy MOVE); null: not moved. */
  movedFrom: Date | null;
  /** Ruled out and not moved: it becomes a SKIPPED run. */
  skipped: boolean;
  /** Why it was moved or skipped, naming the calendar; null: the calendars allow it. */
  calendarReason: string | null;
}

/** A source of slots for the preview: a schedule, its next slot, and the slot that one was moved from (if any). */
export interface JudgedSource<K> extends SlotSource<K> {
  movedFrom?: Date | null;
  movedReason?: string | null;
}

/**
 * The first `count` slots of all sources together as the engine will fire them: a ruled-out slot is skipped (SKIP)
 * or moved to the end of its window (MOVE), the slots it moves over gone, as engine/occurrences.ts does.
 */
export function judgedSlots<K>(
  sources: readonly JudgedSource<K>[],
  count: number,
  calendars: readonly AttachedCalendar[],
  policy: 'SKIP' | 'MOVE',
): Array<JudgedSlot<K>> {
  const all: Array<JudgedSlot<K> & { order: number }> = [];
  sources.forEach((source, order) => {
    let at = source.first;
    let movedFrom = source.movedFrom ?? null;
    let movedReason = source.movedReason ?? null;
    let runCount = source.schedule.runCount;
    for (let made = 0; at && made < count; made += 1) {
      const verdict = calendars.length > 0 ? judgeSlot(at, calendars) : ({ allowed: true } as const);
      if (!verdict.allowed && policy === 'MOVE') {
        const to = movedSlot(at, calendars);
        if (to) {
          movedReason = `moved from ${(movedFrom ?? at).toISOString()}: the slot was ${verdict.reason}`;
          movedFrom = movedFrom ?? at;
          at = to;
        }
      }
      const ruledOut = calendars.length > 0 && !judgeSlot(at, calendars).allowed;
      all.push({
        at,
        key: source.key,
        order,
        movedFrom: ruledOut ? null : movedFrom,
        skipped: ruledOut,
        calendarReason: ruledOut && !verdict.allowed ? verdict.reason : movedFrom ? movedReason : null,
      });
      runCount += 1;
      at = nextFireTimes({ ...source.schedule, runCount }, { after: at, count: 1, anchor: movedFrom ?? at })[0] ?? null;
      movedFrom = null;
      movedReason = null;
    }
  });
  all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  return all.slice(0, Math.max(0, count)).map(({ order: _order, ...slot }) => slot);
}
