// The app's one clock: every date, time and duration on screen is written here, one way. Absolute times always say
// their zone; the zone is the viewer's choice — the browser's or UTC — remembered in this browser (localStorage).
// Relative times ("5 min ago") go through <RelativeTime>, which carries the exact time in a tooltip.
import { useEffect, useState, useSyncExternalStore } from 'react';

export type ZoneChoice = 'browser' | 'utc';

const STORAGE_KEY = 'sundial.timeZone';
const listeners = new Set<() => void>();

function readChoice(): ZoneChoice {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'browser';
  } catch {
    return 'browser';
  }
}

let choice: ZoneChoice = typeof window === 'undefined' ? 'browser' : readChoice();

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function zoneChoice(): ZoneChoice {
  return choice;
}

export function setZoneChoice(next: ZoneChoice): void {
  choice = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page.
  }
  for (const listener of listeners) listener();
}

/** The zone times are shown in; components that format re-render when it changes (see useZoneChoice). */
export function displayTimeZone(): string {
  return choice === 'utc' ? 'UTC' : browserTimeZone();
}

export function useZoneChoice(): ZoneChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => choice,
  );
}

/** The current time, advancing every `intervalMs` while `enabled` (live durations). */
export function useNow(intervalMs = 1000, enabled = true): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!enabled) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, enabled]);
  return now;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(undefined, { ...options, timeZone: zone });
    formatters.set(key, found);
  }
  return found;
}

const DATE_TIME: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };
const DATE_TIME_SECONDS: Intl.DateTimeFormatOptions = { ...DATE_TIME, second: '2-digit' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
const TIME_MS: Intl.DateTimeFormatOptions = { ...TIME, fractionalSecondDigits: 3 };
const HOUR: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const DAY: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric' };
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** The server sends DateTime as an ISO string; the generated types call it unknown until checked. */
export function toDate(value: unknown): Date | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Dec 6, 2026, 07:29 UTC" in the chosen zone (or `zone`, e.g. a schedule's own). */
export function formatDateTime(value: unknown, { seconds = false, zone }: { seconds?: boolean; zone?: string } = {}): string {
  const date = toDate(value);
  if (!date) return '—';
  return formatter(zone ?? displayTimeZone(), seconds ? DATE_TIME_SECONDS : DATE_TIME).format(date);
}

/** "07:29:39" (or with milliseconds) in the chosen zone, without the zone: for columns whose heading names it. */
export function formatTime(value: unknown, { milliseconds = false }: { milliseconds?: boolean } = {}): string {
  const date = toDate(value);
  return date ? formatter(displayTimeZone(), milliseconds ? TIME_MS : TIME).format(date) : '—';
}

/** "08:00" for chart axes; the axis names the zone. */
export function formatHour(value: unknown): string {
  const date = toDate(value);
  return date ? formatter(displayTimeZone(), HOUR).format(date) : '—';
}

/** "Dec 6" for chart axes spanning days. */
export function formatDay(value: unknown): string {
  const date = toDate(value);
  return date ? formatter(displayTimeZone(), DAY).format(date) : '—';
}

/** The chosen zone's short name at `at` ("UTC", "CET", "GMT-5"): for headings of time columns and inputs. */
export function zoneName(at: Date = new Date(), zone: string = displayTimeZone()): string {
  const part = formatter(zone, { timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

/** "UTC", or "Europe/Paris (CET)": what a zone picker or an input's help shows. */
export function describeZone(zone: string = displayTimeZone(), at: Date = new Date()): string {
  const short = zoneName(at, zone);
  return zone === 'UTC' || short === zone ? zone : `${zone} (${short})`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago", "in 2 hours": show it with <RelativeTime>, which adds the exact time as a tooltip. */
export function formatRelative(value: unknown, now: Date = new Date()): string {
  const date = toDate(value);
  if (!date) return '—';
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Math.abs(seconds) < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.round(seconds / size), unit);
  }
  return formatDateTime(date);
}

/** 850 ms, 12.4 s, 3 min 20 s, 2 h 5 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  const restSeconds = Math.round(seconds % 60);
  if (minutes < 60) return restSeconds ? `${minutes} min ${restSeconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export function durationBetween(start: unknown, end: unknown): number | null {
  const a = toDate(start);
  const b = toDate(end);
  return a && b ? b.getTime() - a.getTime() : null;
}

/** A run's duration: finished → as stored; still going → from its start to `now` (ticks with useNow). */
export function liveDuration(run: { startedAt?: unknown; finishedAt?: unknown; durationMs?: number | null }, now: Date, live: boolean): number | null {
  if (!live) return run.durationMs ?? null;
  const started = toDate(run.startedAt);
  return started ? Math.max(0, now.getTime() - started.getTime()) : null;
}

/** `2026-11-23T09:30` for a datetime-local input, in the chosen zone. */
export function toZonedInput(value: unknown, zone: string = displayTimeZone()): string {
  const date = toDate(value);
  if (!date) return '';
  const parts = Object.fromEntries(
    formatter(zone, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A datetime-local value read in the chosen zone, as an instant (null when empty or invalid). */
export function fromZonedInput(value: string, zone: string = displayTimeZone()): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // The zone's offset at that wall time: format the UTC guess in the zone and correct by the difference (twice,
  // for instants near an offset change).
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = toZonedInput(new Date(guess), zone);
    const back = Date.UTC(Number(shown.slice(0, 4)), Number(shown.slice(5, 7)) - 1, Number(shown.slice(8, 10)), Number(shown.slice(11, 13)), Number(shown.slice(14, 16)), s);
    guess += asUtc - back;
  }
  return new Date(guess);
}
