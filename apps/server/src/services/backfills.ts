// Backfill: run a job's slots over a past date range. A preview lists the slots (which schedule, when) and their
// count first; starting makes one BACKFILL run per slot through the engine; a backfill is cancelled as a whole.
// At most MAX_BACKFILL_SLOTS slots per backfill: a range holding more is refused, naming the field to change.
import type { Backfill, JobSchedule, PrismaClient, Run } from '../db/prisma.js';
import type { RunEngine } from '../engine/index.js';
import { NotFoundError, ValidationError, type FieldError } from './errors.js';
import { isUuid } from './ids.js';
import { scheduleFromJob, slotsBetween } from './schedule.js';

export const MAX_BACKFILL_SLOTS = 1000;

export interface BackfillRange {
  jobId: string;
  /** Inclusive. */
  from: Date;
  /** Inclusive; not after now. */
  to: Date;
  /** Only these schedules of the job; default all of them (enabled or not: the past is what it was). */
  scheduleIds?: readonly string[] | null;
}

export interface BackfillPreview {
  /** The slots, earliest first, at most MAX_BACKFILL_SLOTS. */
  slots: Array<{ at: Date; schedule: JobSchedule }>;
  /** How many slots (at most MAX_BACKFILL_SLOTS). */
  count: number;
  /** The range holds more than MAX_BACKFILL_SLOTS slots: starting it is refused. */
  more: boolean;
}

export class BackfillService {
  constructor(
    private readonly deps: { prisma: PrismaClient; engine: Pick<RunEngine, 'backfills'>; now?: () => Date },
  ) {}

  async preview(range: BackfillRange): Promise<BackfillPreview> {
    const schedules = await this.check(range);
    const all = schedules.flatMap((schedule) =>
      slotsBetween(scheduleFromJob(schedule), range.from, range.to, schedule.nextRunAt ?? schedule.createdAt, MAX_BACKFILL_SLOTS).map((at) => ({
        at,
        schedule,
      })),
    );
    all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.schedule.position - b.schedule.position);
    const slots = all.slice(0, MAX_BACKFILL_SLOTS);
    return { slots, count: slots.length, more: all.length > MAX_BACKFILL_SLOTS };
  }

  async start(range: BackfillRange, startedById: string | null): Promise<{ backfill: Backfill; runs: Run[] }> {
    const preview = await this.preview(range);
    if (preview.more) {
      throw new ValidationError([
        { field: 'to', message: `the range holds more than ${MAX_BACKFILL_SLOTS} slots; choose a shorter range (or fewer schedules)` },
      ]);
    }
    if (preview.count === 0) {
      throw new ValidationError([{ field: 'from', message: "no slot of the job's schedules falls between from and to" }]);
    }
    const started = await this.deps.engine.backfills.start({
      jobId: range.jobId,
      rangeStart: range.from,
      rangeEnd: range.to,
      slots: preview.slots,
      startedById,
    });
    if (!started) throw new NotFoundError('job', range.jobId);
    return started;
  }

  /** Cancels every run of the backfill not yet finished; resolves with the backfill and how many it cancelled. */
  async cancel(id: string): Promise<{ backfill: Backfill; cancelled: number }> {
    if (!isUuid(id) || !(await this.deps.prisma.backfill.findUnique({ where: { id }, select: { id: true } }))) {
      throw new NotFoundError('backfill', id);
    }
    const cancelled = await this.deps.engine.backfills.cancel(id);
    return { backfill: await this.deps.prisma.backfill.findUniqueOrThrow({ where: { id } }), cancelled };
  }

  /** The range's problems, each naming its field; the job's schedules the backfill covers. */
  private async check(range: BackfillRange): Promise<JobSchedule[]> {
    const errors: FieldError[] = [];
    const now = this.deps.now?.() ?? new Date();
    const valid = (date: Date) => date instanceof Date && !Number.isNaN(date.getTime());
    if (!valid(range.from)) errors.push({ field: 'from', message: 'must be a date and time' });
    if (!valid(range.to)) errors.push({ field: 'to', message: 'must be a date and time' });
    else if (range.to > now) errors.push({ field: 'to', message: `must not be in the future (now is ${now.toISOString()}): a backfill runs past slots` });
    if (valid(range.from) && valid(range.to) && range.from >= range.to) errors.push({ field: 'to', message: 'must be after from' });
    if (!isUuid(range.jobId)) throw new NotFoundError('job', range.jobId);
    const job = await this.deps.prisma.job.findUnique({
      where: { id: range.jobId },
      select: { schedules: { orderBy: { position: 'asc' } } },
    });
    if (!job) throw new NotFoundError('job', range.jobId);
    let schedules = job.schedules;
    if (schedules.length === 0) errors.push({ field: 'jobId', message: 'the job has no schedules, so it has no slots to backfill' });
    if (range.scheduleIds?.length) {
      const ids = new Set(schedules.map((schedule) => schedule.id));
      range.scheduleIds.forEach((id, index) => {
        if (!ids.has(id)) errors.push({ field: `scheduleIds[${index}]`, message: `no schedule ${id} on this job` });
      });
      const wanted = new Set(range.scheduleIds);
      schedules = schedules.filter((schedule) => wanted.has(schedule.id));
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return schedules;
  }
}
