// One call for integrators, modelled on Ductape's `dispatch()`: an action, its args and when → a job, and either a
// queued run (now) or a schedule (later, or recurring). Built on JobService and RunService: the same rules apply as
// for jobs made in the app, and field errors are renamed to the names the caller used.
import type { Job, Run } from '../db/prisma.js';
import { ValidationError, type FieldError } from './errors.js';
import type { JobInput, JobService } from './jobs.js';
import type { RunService } from './runs.js';
import type { ScheduleInput } from './schedule.js';

export interface DispatchInput {
  action: string;
  args?: Record<string, unknown>;
  /** Default: the action's name. */
  name?: string | null;
  description?: string | null;
  /** When to start; null or a past time: now (Ductape's start_at). */
  startAt?: Date | null;
  /** Cron expression for a recurring job (5 or 6 fields). */
  cron?: string | null;
  /** Interval of a recurring job, in seconds (Ductape's `every`, which counts milliseconds). */
  everySeconds?: number | null;
  /** At most this many runs (Ductape's `limit`). */
  limit?: number | null;
  /** No run after this time (Ductape's `endDate`). */
  endDate?: Date | null;
  /** IANA timezone the cron is read in (Ductape's `tz`); default UTC. */
  tz?: string | null;
  /** Attempts after the first failure; default: the action's. */
  retries?: number | null;
  title?: string | null;
  targetUserIds?: string[];
  targetRoleIds?: string[];
  perUser?: boolean;
}

export type DispatchStatus = 'SCHEDULED' | 'QUEUED';

export interface DispatchResult {
  job: Job;
  /** The queued run when the job runs now; null when it is scheduled. */
  run: Run | null;
  status: DispatchStatus;
  /** When the (first) run is due. */
  scheduledAt: Date;
  recurring: boolean;
  /** The job's next fire time; null for a job that already ran its only run. */
  nextRunAt: Date | null;
}

/** Job and schedule field names → the names a dispatch caller used. */
const FIELD_NAMES: Record<string, string> = {
  'schedule.cron': 'cron',
  'schedule.intervalSeconds': 'everySeconds',
  'schedule.runAt': 'startAt',
  'schedule.startAt': 'startAt',
  'schedule.endAt': 'endDate',
  'schedule.runLimit': 'limit',
  'schedule.timezone': 'tz',
  'schedule.scheduleKind': 'cron',
};

/** The schedule's own names inside messages ("runLimit must be…"), each with the name the caller used. */
const NAME_IN_MESSAGE = new RegExp(`\\b(${['intervalSeconds', 'runAt', 'endAt', 'runLimit', 'timezone'].join('|')})\\b`, 'g');

function renamed(errors: FieldError[]): FieldError[] {
  return errors.map((error) => ({
    field: FIELD_NAMES[error.field] ?? error.field,
    message: error.field.startsWith('schedule.')
      ? error.message.replace(NAME_IN_MESSAGE, (name) => FIELD_NAMES[`schedule.${name}`] ?? name)
      : error.message,
  }));
}

export class DispatchService {
  constructor(
    private readonly deps: { jobs: JobService; runs: RunService; now?: () => Date },
  ) {}

  async dispatch(input: DispatchInput, actorId: string | null): Promise<DispatchResult> {
    const now = this.deps.now?.() ?? new Date();
    const recurring = Boolean(input.cron) || input.everySeconds != null;
    const errors: FieldError[] = [];
    if (input.cron && input.everySeconds != null) errors.push({ field: 'everySeconds', message: 'give either cron or everySeconds, not both' });
    if (!recurring && input.limit != null) errors.push({ field: 'limit', message: 'only applies to a recurring dispatch (cron or everySeconds)' });
    if (!recurring && input.endDate != null) errors.push({ field: 'endDate', message: 'only applies to a recurring dispatch (cron or everySeconds)' });
    if (errors.length > 0) throw new ValidationError(errors);

    const startsLater = input.startAt != null && input.startAt.getTime() > now.getTime();
    const schedule: ScheduleInput = recurring
      ? {
          scheduleKind: input.cron ? 'CRON' : 'INTERVAL',
          cron: input.cron ?? null,
          intervalSeconds: input.everySeconds ?? null,
          timezone: input.tz || 'UTC',
          startAt: startsLater ? input.startAt : null,
          endAt: input.endDate ?? null,
          runLimit: input.limit ?? null,
        }
      : startsLater
        ? { scheduleKind: 'ONCE', runAt: input.startAt, timezone: input.tz || 'UTC' }
        : { scheduleKind: 'MANUAL', timezone: input.tz || 'UTC' };

    const jobInput: JobInput = {
      name: input.name?.trim() || input.action,
      description: input.description ?? 'Created by dispatch.',
      action: input.action,
      args: input.args ?? {},
      schedule,
      retries: input.retries ?? null,
      targetUserIds: input.targetUserIds ?? [],
      targetRoleIds: input.targetRoleIds ?? [],
      perUser: input.perUser ?? false,
    };
    let job: Job;
    try {
      job = await this.deps.jobs.create(jobInput, actorId);
    } catch (error) {
      if (error instanceof ValidationError) throw new ValidationError(renamed(error.errors));
      throw error;
    }

    if (recurring || startsLater) {
      // A job saved enabled with a schedule that allows a run has a next fire time (JobService checked it).
      const scheduledAt = job.nextRunAt ?? input.startAt ?? now;
      return { job, run: null, status: 'SCHEDULED', scheduledAt, recurring, nextRunAt: job.nextRunAt };
    }
    const run = await this.deps.runs.start(job.id, { trigger: 'API', title: input.title ?? null, startedById: actorId });
    return { job, run, status: 'QUEUED', scheduledAt: run.scheduledFor, recurring: false, nextRunAt: null };
  }
}
