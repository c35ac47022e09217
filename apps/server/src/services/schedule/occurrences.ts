import { cronFor } from './cron.js';
import type { CronSchedule, IntervalSchedule, Schedule } from './types.js';

/**
 * When a schedule fires. Every function here is lazy: occurrences are generated one at a time and the callers
 * stop early, so an every-second cron over a week of downtime never becomes a list of 604,800 dates.
 *
 * Bounds: startAt and endAt are inclusive (a slot exactly at either fires); the run limit allows
 * runLimit - runCount more occurrences. `after` is exclusive.
 */

export interface FireTimeOptions {
  /** Occurrences strictly after this instant. */
  after: Date;
  count: number;
  /**
   * For an INTERVAL schedule without startAt: the instant it counts from, e.g. the job's creation or the last
   * change of its schedule (stored, so occurrences stay the same across restarts); occurrences are
   * anchor + k × interval for k ≥ 1. Without it, `after` is the anchor, which moves with every call.
   * With startAt, occurrences are startAt + k × interval for k ≥ 0 and the anchor is not used.
   */
  anchor?: Date;
}

/** The next `count` fire times after `after`, strictly increasing, within startAt/endAt and the run limit. */
export function nextFireTimes(schedule: Schedule, options: FireTimeOptions): Date[] {
  const { after, count, anchor } = options;
  assertInstant(after, 'after');
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const wanted = Math.min(count, remainingRuns(schedule));
  const times: Date[] = [];
  if (wanted === 0) return times;
  for (const slot of occurrencesAfter(schedule, after, anchor ?? after)) {
    times.push(slot);
    if (times.length >= wanted) break;
  }
  return times;
}

export interface MissedOptions {
  /** The last instant the scheduler had looked at (exclusive), e.g. the scheduled-for of the job's last run. */
  since: Date;
  /** Inclusive. */
  now: Date;
  /** How many slots to return at most (≥ 1). */
  max: number;
  /** As in nextFireTimes; falls back to `since`. */
  anchor?: Date;
}

export interface MissedOccurrences {
  /** The earliest missed slots in (since, now], at most `max`, strictly increasing. */
  slots: Date[];
  /** More than `max` slots were missed. */
  more: boolean;
  /** The last missed slot (found even when `more`): the scheduled-for of a catch-up run. Null when none. */
  latest: Date | null;
}

/**
 * The slots that fell in (since, now] within startAt/endAt, for the misfire policy (ten missed slots → one
 * catch-up run). The run limit only matters when it is already used up (then nothing was missed): slots that
 * did not run did not count against it.
 */
export function missedOccurrences(schedule: Schedule, options: MissedOptions): MissedOccurrences {
  const { since, now, max, anchor } = options;
  assertInstant(since, 'since');
  assertInstant(now, 'now');
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a whole number ≥ 1, got ${max}`);
  const none: MissedOccurrences = { slots: [], more: false, latest: null };
  if (now <= since || remainingRuns(schedule) === 0) return none;
  const slots: Date[] = [];
  let more = false;
  for (const slot of occurrencesAfter(schedule, since, anchor ?? since)) {
    if (slot > now) break;
    if (slots.length === max) {
      more = true;
      break;
    }
    slots.push(slot);
  }
  if (!more) return { slots, more, latest: slots.at(-1) ?? null };
  return { slots, more, latest: latestSlotAtOrBefore(schedule, now, anchor ?? since) };
}

/** How many more occurrences the schedule allows; Infinity when unbounded. */
export function remainingRuns(schedule: Schedule): number {
  switch (schedule.scheduleKind) {
    case 'MANUAL':
      return 0;
    case 'ONCE':
      return Math.max(0, 1 - schedule.runCount);
    case 'CRON':
    case 'INTERVAL':
      return schedule.runLimit === null ? Number.POSITIVE_INFINITY : Math.max(0, schedule.runLimit - schedule.runCount);
  }
}

/** The schedule's slots after `after` (exclusive) within its window, increasing; ignores the run limit. */
export function* occurrencesAfter(schedule: Schedule, after: Date, anchor: Date): Generator<Date, void, undefined> {
  switch (schedule.scheduleKind) {
    case 'MANUAL':
      return;
    case 'ONCE':
      if (schedule.runAt > after) yield schedule.runAt;
      return;
    case 'CRON':
      yield* cronSlotsAfter(schedule, after);
      return;
    case 'INTERVAL':
      yield* intervalSlotsAfter(schedule, after, anchor);
      return;
  }
}

function* cronSlotsAfter(schedule: CronSchedule, after: Date): Generator<Date, void, undefined> {
  const { startAt, endAt } = schedule;
  const cron = cronFor(schedule.cron, schedule.timezone);
  // Start just before startAt so a slot exactly at startAt is found (croner's nextRun is exclusive).
  let cursor = startAt !== null && startAt > after ? new Date(startAt.getTime() - 1) : after;
  for (;;) {
    const next = cron.nextRun(cursor);
    if (next === null) return;
    if (endAt !== null && next > endAt) return;
    // Croner promises to move forward in real time; a loop that did not would never end.
    if (next <= cursor) throw new Error(`cron '${schedule.cron}' did not move forward after ${cursor.toISOString()}`);
    cursor = next;
    if (next > after && (startAt === null || next >= startAt)) yield next;
  }
}

function intervalBase(schedule: IntervalSchedule, anchor: Date): { base: number; firstStep: number; stepMs: number } {
  return schedule.startAt !== null
    ? { base: schedule.startAt.getTime(), firstStep: 0, stepMs: schedule.intervalSeconds * 1000 }
    : { base: anchor.getTime(), firstStep: 1, stepMs: schedule.intervalSeconds * 1000 };
}

function* intervalSlotsAfter(schedule: IntervalSchedule, after: Date, anchor: Date): Generator<Date, void, undefined> {
  const { base, firstStep, stepMs } = intervalBase(schedule, anchor);
  // The first step k with base + k·step > after, computed rather than walked to.
  let step = Math.max(firstStep, Math.floor((after.getTime() - base) / stepMs) + 1);
  const end = schedule.endAt?.getTime() ?? Number.POSITIVE_INFINITY;
  for (;;) {
    const slot = base + step * stepMs;
    if (slot > end) return;
    yield new Date(slot);
    step += 1;
  }
}

/** The last slot at or before `instant` (and endAt), or null; used once more than `max` slots were missed. */
function latestSlotAtOrBefore(schedule: Schedule, instant: Date, anchor: Date): Date | null {
  switch (schedule.scheduleKind) {
    case 'MANUAL':
      return null;
    case 'ONCE':
      return schedule.runAt <= instant ? schedule.runAt : null;
    case 'INTERVAL': {
      const upper = Math.min(instant.getTime(), schedule.endAt?.getTime() ?? Number.POSITIVE_INFINITY);
      const { base, firstStep, stepMs } = intervalBase(schedule, anchor);
      const step = Math.floor((upper - base) / stepMs);
      return step < firstStep ? null : new Date(base + step * stepMs);
    }
    case 'CRON': {
      const upper = Math.min(instant.getTime(), schedule.endAt?.getTime() ?? Number.POSITIVE_INFINITY);
      // Slots are whole seconds, and croner's previousRuns includes a slot earlier in the reference's second:
      // so a reference half a second into the upper bound's second finds a slot at the bound itself.
      const reference = new Date(Math.floor(upper / 1000) * 1000 + 500);
      const [previous] = cronFor(schedule.cron, schedule.timezone).previousRuns(1, reference);
      if (previous === undefined || previous.getTime() > upper) return null;
      if (schedule.startAt !== null && previous < schedule.startAt) return null;
      return previous;
    }
  }
}

function assertInstant(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`${name} must be a valid Date`);
}
