/**
 * Glossary (the words the schedule code uses):
 * - schedule: when a job runs on its own. One of four kinds: MANUAL (never on its own), CRON (a cron expression
 *   read in an IANA timezone), INTERVAL (every N seconds from an anchor), ONCE (a single instant, runAt).
 * - occurrence / slot / fire time: one instant at which the schedule wants a run. A run's scheduled-for is one.
 * - window: startAt (no occurrence before it, inclusive) and endAt (no occurrence after it, inclusive).
 * - run limit: at most runLimit scheduled occurrences over the job's life; runCount says how many happened.
 * - anchor: the instant an interval counts from when it has no startAt (the job's creation or last schedule change).
 * - missed occurrence: a slot that fell while no worker was up; the misfire policy decides what to do with them.
 */

import { scheduleKinds } from '@sundial/job-schema';

export { scheduleKinds };
export type ScheduleKind = (typeof scheduleKinds)[number];

/**
 * A schedule as a form or an API call sends it, in the Job row's words: nothing has been checked yet.
 * Dates are Date objects or ISO 8601 strings with a UTC offset or Z. Empty values are null, undefined or ''.
 */
export interface ScheduleInput {
  /** A ScheduleKind, default MANUAL as in the jobs table. A string, because unchecked input may hold anything. */
  scheduleKind?: string | null;
  cron?: string | null;
  /** IANA name; default UTC. */
  timezone?: string | null;
  intervalSeconds?: number | null;
  runAt?: Date | string | null;
  startAt?: Date | string | null;
  endAt?: Date | string | null;
  runLimit?: number | null;
  /** Scheduled occurrences so far (from the stored job); default 0. Not something a user types. */
  runCount?: number | null;
}

/** The input fields an error can name. */
export type ScheduleField = keyof ScheduleInput;

export interface FieldError {
  field: ScheduleField;
  /** What is wrong and what is allowed, in a sentence a user can act on. */
  message: string;
}

/** startAt, endAt and runLimit: the bounds a recurring schedule may have (Ductape's start_at, endDate, limit). */
export interface ScheduleBounds {
  startAt: Date | null;
  endAt: Date | null;
  runLimit: number | null;
  runCount: number;
}

export interface ManualSchedule {
  scheduleKind: 'MANUAL';
  /** Only used to show dates. */
  timezone: string;
  /** Kept so every schedule carries its job's count; nothing is scheduled, so nothing is counted. */
  runCount: number;
}

export interface CronSchedule extends ScheduleBounds {
  scheduleKind: 'CRON';
  /** Normalised: fields separated by one space. */
  cron: string;
  timezone: string;
}

export interface IntervalSchedule extends ScheduleBounds {
  scheduleKind: 'INTERVAL';
  intervalSeconds: number;
  /** Only used to show dates: an interval counts real seconds, whatever the clocks do. */
  timezone: string;
}

export interface OnceSchedule {
  scheduleKind: 'ONCE';
  runAt: Date;
  timezone: string;
  runCount: number;
}

/** A valid schedule: only the fields of its kind, every value checked. Stored with toJobFields. */
export type Schedule = ManualSchedule | CronSchedule | IntervalSchedule | OnceSchedule;

export type ScheduleValidation = { ok: true; schedule: Schedule } | { ok: false; errors: FieldError[] };

/** The schedule columns of the jobs table (prisma/schema.prisma, model Job), as Prisma reads and writes them. */
export interface JobScheduleFields {
  scheduleKind: ScheduleKind;
  cron: string | null;
  timezone: string;
  intervalSeconds: number | null;
  runAt: Date | null;
  startAt: Date | null;
  endAt: Date | null;
  runLimit: number | null;
  runCount: number;
}
