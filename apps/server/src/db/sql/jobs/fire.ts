// The statements of a batch firing (engine/occurrences.ts `fireBatch`): what the firing reads of the locked jobs, and
// the schedules' and jobs' next slots it writes, a statement each for the whole batch. Plain SQL in one transaction on
// one connection: the Prisma path cost 9 ms of the worker's CPU per fired slot, which capped two workers below 100
// slots a second (bench/schedule-lag.ts).
import { z } from 'zod';
import { MisfirePolicy, OverlapPolicy } from '../../generated/prisma/enums.js';
import type { Job, JobSchedule, RunStatus } from '../../prisma.js';
import { parseRows, type SqlClient } from '../client.js';
import { jobScheduleRow } from '../rows/job-schedule.js';
import { int, json, timestamp, uuid } from '../rows/columns.js';
import { lastSuccessStartOf } from './last-success.js';

export type JobForFiring = Pick<Job, 'id' | 'action' | 'args' | 'retries' | 'priority' | 'enabled' | 'pausedUntil' | 'nextRunAt' | 'overlapPolicy' | 'misfirePolicy'> & {
  /** Calendars judging its slots: its own and every blackout for all jobs. */
  calendars: number;
  /** The start of its last succeeded top-level run (the runs' `since`). */
  lastSuccessStart: Date | null;
  /** A top-level run of the job still queued or running (the overlap policy's question), if any. */
  activeRunId: string | null;
};

const jobForFiring = z
  .object({
    id: uuid,
    action: z.string(),
    args: json,
    retries: int.nullable(),
    priority: int,
    enabled: z.boolean(),
    paused_until: timestamp.nullable(),
    next_run_at: timestamp.nullable(),
    overlap_policy: z.enum(OverlapPolicy),
    misfire_policy: z.enum(MisfirePolicy),
    calendars: int,
    since: timestamp.nullable(),
    active_run_id: uuid.nullable(),
  })
  .transform(
    (row): JobForFiring => ({
      id: row.id,
      action: row.action,
      args: row.args,
      retries: row.retries,
      priority: row.priority,
      enabled: row.enabled,
      pausedUntil: row.paused_until,
      nextRunAt: row.next_run_at,
      overlapPolicy: row.overlap_policy,
      misfirePolicy: row.misfire_policy,
      calendars: row.calendars,
      lastSuccessStart: row.since,
      activeRunId: row.active_run_id,
    }),
  );

/** The jobs with what firing them needs; `activeStatuses`: the statuses of a run still in progress (the engine's). */
export async function readJobsForFiring(client: SqlClient, jobIds: readonly string[], activeStatuses: readonly RunStatus[]): Promise<JobForFiring[]> {
  const { rows } = await client.query(
    `SELECT j.id, j.action, j.args, j.retries, j.priority, j.enabled, j.paused_until, j.next_run_at, j.overlap_policy, j.misfire_policy,
       ((SELECT count(*) FROM "job_calendars" c WHERE c.job_id = j.id)
         + (SELECT count(*) FROM "calendars" g WHERE g.blackout_for_all_jobs))::int AS calendars,
       ${lastSuccessStartOf('j.id')} AS since,
       (SELECT r.id FROM "runs" r
         WHERE r.job_id = j.id AND r.parent_run_id IS NULL AND r.status = ANY($2::"RunStatus"[])
         LIMIT 1) AS active_run_id
     FROM "jobs" j WHERE j.id = ANY($1::uuid[])`,
    [jobIds, activeStatuses],
  );
  return parseRows(jobForFiring, rows);
}

/** Every schedule of the jobs, each job's in order. */
export async function readSchedulesOf(client: SqlClient, jobIds: readonly string[]): Promise<JobSchedule[]> {
  const { rows } = await client.query(`SELECT s.* FROM "job_schedules" s WHERE s.job_id = ANY($1::uuid[]) ORDER BY s.job_id, s.position`, [jobIds]);
  return parseRows(jobScheduleRow, rows);
}

export interface FiredSchedule {
  id: string;
  runCount: number;
  nextRunAt: Date | null;
  /** Set: the schedule has no slot left and is disabled, saying why. */
  disabledReason: string | null;
}

/** A fired schedule moves to its next slot (its moved slot, if any, is used up), or is disabled with the reason. */
export async function writeFiredSchedules(client: SqlClient, schedules: readonly FiredSchedule[]): Promise<void> {
  if (schedules.length === 0) return;
  await client.query(
    `UPDATE "job_schedules" s
     SET run_count = u.run_count, next_run_at = u.next_run_at, moved_from = NULL, moved_reason = NULL,
         enabled = s.enabled AND u.disabled_reason IS NULL, disabled_reason = COALESCE(u.disabled_reason, s.disabled_reason),
         updated_at = now()
     FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[]) AS u(id, run_count, next_run_at, disabled_reason)
     WHERE s.id = u.id`,
    [schedules.map((s) => s.id), schedules.map((s) => s.runCount), schedules.map((s) => s.nextRunAt), schedules.map((s) => s.disabledReason)],
  );
}

export interface SettledJob {
  id: string;
  nextRunAt: Date | null;
  /** Set: no schedule has a slot left; the job is disabled, saying why. */
  disabledReason: string | null;
}

export type FiredJob = Pick<Job, 'id' | 'enabled' | 'nextRunAt' | 'pausedUntil' | 'priority'>;

const firedJob = z
  .object({ id: uuid, enabled: z.boolean(), next_run_at: timestamp.nullable(), paused_until: timestamp.nullable(), priority: int })
  .transform((row): FiredJob => ({ id: row.id, enabled: row.enabled, nextRunAt: row.next_run_at, pausedUntil: row.paused_until, priority: row.priority }));

/** The jobs' next runs after a firing (the earliest of their schedules'), or disabled with the reason. */
export async function writeSettledJobs(client: SqlClient, jobs: readonly SettledJob[]): Promise<FiredJob[]> {
  if (jobs.length === 0) return [];
  const { rows } = await client.query(
    `UPDATE "jobs" j
     SET next_run_at = u.next_run_at, enabled = j.enabled AND u.disabled_reason IS NULL,
         disabled_reason = COALESCE(u.disabled_reason, j.disabled_reason), updated_at = now()
     FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS u(id, next_run_at, disabled_reason)
     WHERE j.id = u.id
     RETURNING j.id, j.enabled, j.next_run_at, j.paused_until, j.priority`,
    [jobs.map((j) => j.id), jobs.map((j) => j.nextRunAt), jobs.map((j) => j.disabledReason)],
  );
  return parseRows(firedJob, rows);
}
