/**
 * Schedules: when a job runs on its own. Pure functions over instants — no database, no clock (callers pass
 * `now`), no timers. Validation for the job service, next fire times and descriptions for the UI and API,
 * missed occurrences for the misfire policy. The user guide is docs/schedules.md; the glossary is in
 * schedule/types.ts.
 */
export type {
  CronSchedule,
  FieldError,
  IntervalSchedule,
  JobScheduleFields,
  ManualSchedule,
  OnceSchedule,
  Schedule,
  ScheduleBounds,
  ScheduleField,
  ScheduleInput,
  ScheduleKind,
  ScheduleValidation,
} from './schedule/types.js';
export { scheduleKinds } from './schedule/types.js';
export { maxIntervalSeconds, maxRunLimit, validateSchedule } from './schedule/validate.js';
export {
  missedOccurrences,
  nextFireTimes,
  remainingRuns,
  type FireTimeOptions,
  type MissedOccurrences,
  type MissedOptions,
} from './schedule/occurrences.js';
export { describeCron, describeInterval, describeSchedule } from './schedule/describe.js';
export { scheduleFromJob, toJobFields } from './schedule/stored.js';
export { checkTimezone, closeTimezones, defaultTimezone } from './schedule/timezone.js';
export { cronOptions } from './schedule/cron.js';
export {
  firstSlotAfter,
  mergedSlots,
  slotsBetween,
  validateScheduleEntries,
  type CheckedScheduleEntry,
  type MergedSlot,
  type ScheduleEntryInput,
  type SlotSource,
  type StoredScheduleEntry,
} from './schedule/entries.js';
export {
  calendarEntryKinds,
  judgeSlot,
  judgedSlots,
  localInstant,
  maxCalendarEntries,
  movedSlot,
  nextWindowStart,
  storedEntries,
  validateCalendarRules,
  weekdays,
  windowsAt,
  type AttachedCalendar,
  type CalendarEntry,
  type CalendarEntryInput,
  type CalendarEntryKind,
  type CalendarMode,
  type CalendarRules,
  type JudgedSlot,
  type JudgedSource,
  type SlotVerdict,
  type TimeWindow,
  type Weekday,
} from './schedule/calendars.js';
