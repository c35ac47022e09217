// A `job_schedules` row read with `SELECT s.*`, checked and turned into Prisma's JobSchedule (see run.ts).
import { z } from 'zod';
import { ScheduleKind } from '../../generated/prisma/enums.js';
import type { JobSchedule } from '../../prisma.js';
import { int, json, timestamp, uuid } from './columns.js';

export const jobScheduleRow = z
  .object({
    id: uuid,
    job_id: uuid,
    position: int,
    label: z.string().nullable(),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    schedule_kind: z.enum(ScheduleKind),
    cron: z.string().nullable(),
    timezone: z.string(),
    interval_seconds: int.nullable(),
    run_at: timestamp.nullable(),
    start_at: timestamp.nullable(),
    end_at: timestamp.nullable(),
    run_limit: int.nullable(),
    run_count: int,
    args: json.nullable(),
    next_run_at: timestamp.nullable(),
    moved_from: timestamp.nullable(),
    moved_reason: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .transform(
    (row): JobSchedule => ({
      id: row.id,
      jobId: row.job_id,
      position: row.position,
      label: row.label,
      enabled: row.enabled,
      disabledReason: row.disabled_reason,
      scheduleKind: row.schedule_kind,
      cron: row.cron,
      timezone: row.timezone,
      intervalSeconds: row.interval_seconds,
      runAt: row.run_at,
      startAt: row.start_at,
      endAt: row.end_at,
      runLimit: row.run_limit,
      runCount: row.run_count,
      args: row.args,
      nextRunAt: row.next_run_at,
      movedFrom: row.moved_from,
      movedReason: row.moved_reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }),
  );
