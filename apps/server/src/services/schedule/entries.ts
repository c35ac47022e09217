import { nextFireTimes, occurrencesAfter } from './occurrences.js';
import { toJobFields } from './stored.js';
import type { JobScheduleFields, Schedule, ScheduleInput } from './types.js';
import { validateSchedule } from './validate.js';

/**
 * A job's several schedules: checking a list of them, and merging their slots into one timeline (the job's next
 * run is the earliest slot of any of them; a preview says which schedule fires each time). Pure, like the rest of
 * services/schedule: callers pass `now`.
 */

/** One entry of a schedules list as a form or an API call sends it. */
export interface ScheduleEntryInput extends ScheduleInput {
  id?: string | null;
  label?: string | null;
  enabled?: boolean | null;
  args?: Record<string, unknown> | null;
}

/** A stored schedule (a job_schedules row) as far as checking a list needs it. */
export interface StoredScheduleEntry extends JobScheduleFields {
  id: string;
  nextRunAt: Date | null;
  disabledReason: string | null;
}

export interface CheckedScheduleEntry {
  /** The stored schedule it keeps (same id and same timing: its run count and next slot carry on); null: new. */
  kept: StoredScheduleEntry | null;
  /** The stored schedule it replaces (same id, other timing: counted again from zero). */
  replaces: string | null;
  label: string | null;
  enabled: boolean;
  args: Record<string, unknown> | null;
  schedule: Schedule;
}

/** A problem with an entry, named `[i].field`. */
export interface EntryError {
  field: string;
  message: string;
}

export type EntriesValidation = { ok: true; entries: CheckedScheduleEntry[] } | { ok: false; errors: EntryError[] };

type TimingFields = Omit<JobScheduleFields, 'runCount'>;

function sameTiming(a: TimingFields, b: TimingFields): boolean {
  const time = (d: Date | null) => d?.getTime() ?? null;
  return a.scheduleKind === b.scheduleKind && a.cron === b.cron && a.timezone === b.timezone &&
    a.intervalSeconds === b.intervalSeconds && time(a.runAt) === time(b.runAt) && time(a.startAt) === time(b.startAt) &&
    time(a.endAt) === time(b.endAt) && a.runLimit === b.runLimit;
}

/**
 * Checks every entry of a list at `now`; errors are named `[i].field`. An entry naming a stored schedule whose
 * timing it keeps is not judged against the clock (its once-at time may have passed: that is history); every other
 * entry is, as a new schedule is. A MANUAL entry is refused: a job without schedules is manual only.
 */
export function validateScheduleEntries(
  inputs: readonly ScheduleEntryInput[],
  stored: readonly StoredScheduleEntry[],
  now: Date,
): EntriesValidation {
  const errors: EntryError[] = [];
  const entries: CheckedScheduleEntry[] = [];
  const byId = new Map(stored.map((entry) => [entry.id, entry]));
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const at = (field: string) => `[${index}]${field ? `.${field}` : ''}`;
    const { id, label, enabled, args, ...timing } = input;
    let previous: StoredScheduleEntry | null = null;
    if (id !== undefined && id !== null && id !== '') {
      previous = byId.get(id) ?? null;
      if (!previous) {
        errors.push({ field: at('id'), message: `no schedule ${id} on this job; leave id empty for a new schedule` });
        return;
      }
      if (seen.has(id)) {
        errors.push({ field: at('id'), message: `schedule ${id} is listed twice; list each schedule once` });
        return;
      }
      seen.add(id);
    }
    if (timing.scheduleKind === 'MANUAL') {
      errors.push({
        field: at('scheduleKind'),
        message: 'a schedule is CRON, INTERVAL or ONCE; a job with no schedules is run by hand only (remove this one)',
      });
      return;
    }
    const kind = timing.scheduleKind || inferredKind(timing);
    if (!kind) {
      errors.push({ field: at('scheduleKind'), message: 'scheduleKind is required: CRON, INTERVAL or ONCE' });
      return;
    }
    const asHistory = previous ? validateSchedule({ ...timing, scheduleKind: kind, runCount: previous.runCount }, new Date(0)) : null;
    const keeps = previous !== null && asHistory !== null && asHistory.ok && sameTiming(toJobFields(asHistory.schedule), previous);
    const checked = keeps && asHistory ? asHistory : validateSchedule({ ...timing, scheduleKind: kind, runCount: 0 }, now);
    if (!checked.ok) {
      errors.push(...checked.errors.map((error) => ({ ...error, field: at(error.field) })));
      return;
    }
    entries.push({
      kept: keeps ? previous : null,
      replaces: keeps ? null : (previous?.id ?? null),
      label: label?.trim() ? label.trim() : null,
      enabled: enabled ?? true,
      args: args ?? null,
      schedule: checked.schedule,
    });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/** The kind a schedule's one timing field implies (a definitions file may leave scheduleKind out). */
function inferredKind(timing: ScheduleInput): string | null {
  if (timing.cron) return 'CRON';
  if (timing.intervalSeconds !== undefined && timing.intervalSeconds !== null) return 'INTERVAL';
  if (timing.runAt) return 'ONCE';
  return null;
}

/** Where a merged slot comes from: the source's key (a schedule's id, or its index in a form's list). */
export interface SlotSource<K> {
  key: K;
  schedule: Schedule;
  /** The source's next slot (a stored schedule's nextRunAt); null: it has none. */
  first: Date | null;
}

export interface MergedSlot<K> {
  at: Date;
  key: K;
}

/** The first `count` slots of all sources together, in time order (sources in list order at the same instant). */
export function mergedSlots<K>(sources: readonly SlotSource<K>[], count: number): Array<MergedSlot<K>> {
  const all: Array<MergedSlot<K> & { order: number }> = [];
  sources.forEach((source, order) => {
    if (!source.first || count < 1) return;
    all.push({ at: source.first, key: source.key, order });
    // `first` has not run yet: the slots after it leave one fewer run under the limit.
    const rest = nextFireTimes({ ...source.schedule, runCount: source.schedule.runCount + 1 }, {
      after: source.first,
      count: count - 1,
      anchor: source.first,
    });
    for (const at of rest) all.push({ at, key: source.key, order });
  });
  all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  return all.slice(0, Math.max(0, count)).map(({ at, key }) => ({ at, key }));
}

/** A schedule's first slot after `now`, as a new or re-enabled schedule gets it. */
export function firstSlotAfter(schedule: Schedule, now: Date): Date | null {
  return nextFireTimes(schedule, { after: now, count: 1, anchor: now })[0] ?? null;
}

/**
 * The slots of a schedule within [from, to] (both inclusive) for a backfill, at most `max` + 1 (so a caller can tell
 * there are more than `max`). Its window (startAt, endAt) applies; its run limit does not (it counts scheduled
 * occurrences, and a backfill's runs are not those). An INTERVAL schedule without startAt keeps the grid of its
 * `anchor` (its next slot), extended back into the past.
 */
export function slotsBetween(schedule: Schedule, from: Date, to: Date, anchor: Date, max: number): Date[] {
  const after = new Date(from.getTime() - 1);
  let gridAnchor = anchor;
  if (schedule.scheduleKind === 'INTERVAL' && schedule.startAt === null) {
    const step = schedule.intervalSeconds * 1000;
    const back = Math.max(0, Math.ceil((anchor.getTime() - after.getTime()) / step) + 1);
    gridAnchor = new Date(anchor.getTime() - back * step);
  }
  const slots: Date[] = [];
  for (const slot of occurrencesAfter(schedule, after, gridAnchor)) {
    if (slot > to || slots.length > max) break;
    slots.push(slot);
  }
  return slots;
}
