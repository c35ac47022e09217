// The schedule part of the job form: what the inputs hold (strings, as typed), and the ScheduleInput they mean.
import type { ScheduleEntryInput, ScheduleInput, ScheduleKind } from '../../gql/graphql';
import { fromZonedInput, toZonedInput } from '../../lib/format';

export type IntervalUnit = 'seconds' | 'minutes' | 'hours' | 'days';
const UNIT_SECONDS: Record<IntervalUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

export interface ScheduleDraft {
  kind: ScheduleKind;
  cron: string;
  timezone: string;
  intervalValue: string;
  intervalUnit: IntervalUnit;
  /** datetime-local values, read in the schedule's own timezone (the inputs' labels name it). */
  runAt: string;
  startAt: string;
  endAt: string;
  runLimit: string;
}

export const CRON_PRESETS = [
  { label: 'Every 15 minutes', cron: '*/15 * * * *' },
  { label: 'Hourly', cron: '0 * * * *' },
  { label: 'Daily at 09:00', cron: '0 9 * * *' },
  { label: 'Weekdays at 09:00', cron: '0 9 * * 1-5' },
  { label: 'Mondays at 08:00', cron: '0 8 * * 1' },
  { label: 'Monthly, 1st at 00:00', cron: '0 0 1 * *' },
] as const;

export function browserTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function emptyScheduleDraft(): ScheduleDraft {
  return { kind: 'MANUAL', cron: '0 9 * * *', timezone: browserTimezone(), intervalValue: '15', intervalUnit: 'minutes', runAt: '', startAt: '', endAt: '', runLimit: '' };
}

/** `2026-11-23T09:30` for a datetime-local input, in the schedule's timezone. */
export function toLocalInput(value: unknown, timezone: string): string {
  return toZonedInput(value, validZone(timezone));
}

function fromLocalInput(value: string, timezone: string): string | null {
  return value ? (fromZonedInput(value, validZone(timezone))?.toISOString() ?? null) : null;
}

/** The zone as typed when the browser knows it, else UTC (the server names a bad zone at its field). */
function validZone(timezone: string): string {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: timezone });
    return timezone;
  } catch {
    return 'UTC';
  }
}

export function draftFromSchedule(schedule: {
  kind: ScheduleKind;
  cron?: string | null;
  intervalSeconds?: number | null;
  runAt?: unknown;
  startAt?: unknown;
  endAt?: unknown;
  runLimit?: number | null;
  timezone: string;
}): ScheduleDraft {
  const seconds = schedule.intervalSeconds ?? 900;
  const unit: IntervalUnit = seconds % 86400 === 0 ? 'days' : seconds % 3600 === 0 ? 'hours' : seconds % 60 === 0 ? 'minutes' : 'seconds';
  return {
    kind: schedule.kind,
    cron: schedule.cron ?? '0 9 * * *',
    timezone: schedule.timezone,
    intervalValue: String(seconds / UNIT_SECONDS[unit]),
    intervalUnit: unit,
    runAt: toLocalInput(schedule.runAt, schedule.timezone),
    startAt: toLocalInput(schedule.startAt, schedule.timezone),
    endAt: toLocalInput(schedule.endAt, schedule.timezone),
    runLimit: schedule.runLimit != null ? String(schedule.runLimit) : '',
  };
}

export function scheduleInput(draft: ScheduleDraft): ScheduleInput {
  const recurring = draft.kind === 'CRON' || draft.kind === 'INTERVAL';
  const interval = Number(draft.intervalValue);
  return {
    kind: draft.kind,
    cron: draft.kind === 'CRON' ? draft.cron.trim() : null,
    intervalSeconds: draft.kind === 'INTERVAL' && draft.intervalValue !== '' ? Math.round(interval * UNIT_SECONDS[draft.intervalUnit]) : null,
    runAt: draft.kind === 'ONCE' ? fromLocalInput(draft.runAt, draft.timezone) : null,
    startAt: recurring ? fromLocalInput(draft.startAt, draft.timezone) : null,
    endAt: recurring ? fromLocalInput(draft.endAt, draft.timezone) : null,
    runLimit: recurring && draft.runLimit !== '' ? Number(draft.runLimit) : null,
    timezone: draft.kind === 'MANUAL' ? null : draft.timezone,
  };
}

let zones: string[] | null = null;
export function timezones(): string[] {
  zones ??= ['UTC', ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC') : [])];
  return zones;
}

/** One of a job's schedules in the form: its timing, and its own label, enabled flag and args override (JSON text). */
export interface ScheduleEntryDraft extends ScheduleDraft {
  /** The stored schedule it edits; null for a new one. */
  id: string | null;
  label: string;
  enabled: boolean;
  argsText: string;
}

export function emptyScheduleEntryDraft(kind: ScheduleKind = 'MANUAL'): ScheduleEntryDraft {
  return { ...emptyScheduleDraft(), kind, id: null, label: '', enabled: true, argsText: '' };
}

export function draftFromScheduleEntry(schedule: Parameters<typeof draftFromSchedule>[0] & {
  id: string;
  label?: string | null;
  enabled: boolean;
  args?: unknown;
}): ScheduleEntryDraft {
  const args = schedule.args && typeof schedule.args === 'object' ? JSON.stringify(schedule.args, null, 2) : '';
  return { ...draftFromSchedule(schedule), id: schedule.id, label: schedule.label ?? '', enabled: schedule.enabled, argsText: args };
}

/** The args override as typed: a JSON object, nothing, or text that is not JSON (sent as is: the server names the field). */
function argsFromText(text: string): unknown {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The list the form sends: entries left on Manual are not schedules (a job without any is run by hand). */
export function scheduleEntriesInput(drafts: readonly ScheduleEntryDraft[]): ScheduleEntryInput[] {
  return drafts.filter((draft) => draft.kind !== 'MANUAL').map((draft) => ({
    ...scheduleInput(draft),
    id: draft.id,
    label: draft.label.trim() || null,
    enabled: draft.enabled,
    args: argsFromText(draft.argsText),
  }));
}
