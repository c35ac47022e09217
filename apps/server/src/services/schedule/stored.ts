import type { JobScheduleFields, Schedule } from './types.js';

/**
 * Between a Schedule and the jobs table. Writing sets every schedule column, so a job that changes kind keeps
 * nothing of its old schedule. Reading trusts what validateSchedule let in when it was saved (its future-time
 * rules were true then, not necessarily now) and only refuses a row that misses its kind's own field.
 */
export function toJobFields(schedule: Schedule): JobScheduleFields {
  const empty = { cron: null, intervalSeconds: null, runAt: null, startAt: null, endAt: null, runLimit: null };
  switch (schedule.scheduleKind) {
    case 'MANUAL':
      return { ...empty, scheduleKind: 'MANUAL', timezone: schedule.timezone, runCount: schedule.runCount };
    case 'ONCE':
      return { ...empty, scheduleKind: 'ONCE', timezone: schedule.timezone, runAt: schedule.runAt, runCount: schedule.runCount };
    case 'CRON': {
      const { cron, timezone, startAt, endAt, runLimit, runCount } = schedule;
      return { ...empty, scheduleKind: 'CRON', cron, timezone, startAt, endAt, runLimit, runCount };
    }
    case 'INTERVAL': {
      const { intervalSeconds, timezone, startAt, endAt, runLimit, runCount } = schedule;
      return { ...empty, scheduleKind: 'INTERVAL', intervalSeconds, timezone, startAt, endAt, runLimit, runCount };
    }
  }
}

export function scheduleFromJob(job: JobScheduleFields): Schedule {
  const { timezone, startAt, endAt, runLimit, runCount } = job;
  switch (job.scheduleKind) {
    case 'MANUAL':
      return { scheduleKind: 'MANUAL', timezone, runCount };
    case 'ONCE':
      return { scheduleKind: 'ONCE', runAt: stored(job.runAt, 'runAt', job), timezone, runCount };
    case 'CRON':
      return { scheduleKind: 'CRON', cron: stored(job.cron, 'cron', job), timezone, startAt, endAt, runLimit, runCount };
    case 'INTERVAL': {
      const intervalSeconds = stored(job.intervalSeconds, 'intervalSeconds', job);
      return { scheduleKind: 'INTERVAL', intervalSeconds, timezone, startAt, endAt, runLimit, runCount };
    }
  }
}

function stored<T>(value: T | null, field: keyof JobScheduleFields, job: JobScheduleFields): T {
  if (value === null) throw new Error(`A ${job.scheduleKind} job has no ${field}: the row was not written through validateSchedule`);
  return value;
}
