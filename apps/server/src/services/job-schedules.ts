// A job's schedules in the job_schedules table: writing a checked list (a schedule that keeps its id keeps its row,
// so the runs it made still name it), and the job's next run as the earliest next slot of its enabled schedules.
import { Prisma, type JobSchedule } from '../db/prisma.js';
import { firstSlotAfter, scheduleFromJob, toJobFields, type CheckedScheduleEntry, type StoredScheduleEntry } from './schedule.js';

/** A stored schedule as the list checker reads it. */
export function storedEntry(row: JobSchedule): StoredScheduleEntry {
  return row;
}

/** The row values of a checked entry at `position`; its next slot counts from `now` unless it keeps its row's. */
export function scheduleRow(entry: CheckedScheduleEntry, position: number, jobEnabled: boolean, now: Date) {
  const kept = entry.kept;
  const disabledReason = kept && entry.enabled ? kept.disabledReason : null;
  const enabled = entry.enabled && disabledReason === null;
  let nextRunAt: Date | null = null;
  if (enabled && jobEnabled) nextRunAt = kept?.nextRunAt ?? firstSlotAfter(entry.schedule, now);
  return {
    ...toJobFields(entry.schedule),
    position,
    label: entry.label,
    enabled,
    disabledReason,
    args: entry.args ? (entry.args as Prisma.InputJsonObject) : Prisma.DbNull,
    nextRunAt,
    // A kept schedule keeps a slot moved out of a calendar window; any other starts afresh.
    ...(kept ? {} : { movedFrom: null, movedReason: null }),
  };
}

export type ScheduleRow = ReturnType<typeof scheduleRow>;

/** The earliest next slot of these schedules; null when none has one. */
export function earliestNextRun(rows: ReadonlyArray<Pick<JobSchedule, 'enabled' | 'nextRunAt'>>): Date | null {
  let earliest: Date | null = null;
  for (const row of rows) {
    if (row.enabled && row.nextRunAt && (!earliest || row.nextRunAt < earliest)) earliest = row.nextRunAt;
  }
  return earliest;
}

/** Replaces a job's schedules with the checked list inside `tx`; resolves with the job's next run. */
export async function writeSchedules(
  tx: Prisma.TransactionClient,
  jobId: string,
  entries: readonly CheckedScheduleEntry[],
  jobEnabled: boolean,
  now: Date,
): Promise<Date | null> {
  const rows = entries.map((entry, position) => scheduleRow(entry, position, jobEnabled, now));
  const keepIds = entries.map((entry) => entry.kept?.id ?? entry.replaces).filter((id): id is string => id !== null);
  await tx.jobSchedule.deleteMany({ where: { jobId, id: { notIn: keepIds } } });
  for (const [index, entry] of entries.entries()) {
    const data = rows[index]!;
    const id = entry.kept?.id ?? entry.replaces;
    if (id) await tx.jobSchedule.update({ where: { id }, data });
    else await tx.jobSchedule.create({ data: { ...data, jobId } });
  }
  return earliestNextRun(rows);
}

/** Re-enabling a job: each enabled schedule's first slot after `now`; the job's next run is the earliest. */
export function resumedSlots(rows: readonly JobSchedule[], now: Date): Array<{ id: string; nextRunAt: Date | null }> {
  return rows.map((row) => ({ id: row.id, nextRunAt: row.enabled ? firstSlotAfter(scheduleFromJob(row), now) : null }));
}
