// The rules for jobs: what a valid job is, and what follows a change (its timer in the scheduler is synced).
// The jobs table is the truth; the scheduler only holds timers for it.
import type { Job, MisfirePolicy, OverlapPolicy, Prisma, PrismaClient } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from './action-catalog.js';
import { ConflictError, NotFoundError, prefixFields, ValidationError, type FieldError } from './errors.js';
import { validateNotificationSettings, type NotificationSettingsInput } from './notifications/settings.js';
import { nextFireTimes, scheduleFromJob, toJobFields, validateSchedule, type ScheduleInput } from './schedule.js';
import { isUuid } from './ids.js';
import { missingUsersAndRoles } from './targets.js';

/** The scheduler's side of a job: one timer per enabled scheduled job, none otherwise. */
export interface JobTimers {
  sync(job: Job): Promise<void>;
  remove(jobId: string): Promise<void>;
}

/** With the notification settings (notifyOn, notifyEmails, notifyUserIds, notifyRoleIds, notifyWebhooks). */
export interface JobInput extends NotificationSettingsInput {
  key?: string | null;
  name: string;
  description?: string;
  action: string;
  args?: Record<string, unknown>;
  enabled?: boolean;
  perUser?: boolean;
  targetUserIds?: string[];
  targetRoleIds?: string[];
  schedule?: ScheduleInput;
  retries?: number | null;
  retryBackoffMs?: number | null;
  timeoutMs?: number | null;
  queue?: string;
  priority?: number;
  concurrency?: number | null;
  overlapPolicy?: OverlapPolicy;
  misfirePolicy?: MisfirePolicy;
}

export type JobPatch = Partial<JobInput>;

export interface JobServiceDeps {
  prisma: PrismaClient;
  actions: ActionCatalog;
  timers: JobTimers;
  bus: Pick<RealtimeBus, 'publishJobChange'>;
  now?: () => Date;
}

const LIMITS = {
  name: 200,
  description: 5000,
  retries: [0, 100],
  retryBackoffMs: [0, 24 * 3600 * 1000],
  timeoutMs: [100, 7 * 24 * 3600 * 1000],
  priority: [-100, 100],
  concurrency: [1, 1000],
} as const;


export class JobService {
  private readonly now: () => Date;
  constructor(private readonly deps: JobServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * These rules writing through `prisma` (a transaction holding many changes: definitions), telling neither the
   * scheduler nor subscribers: once the transaction has committed, `announce` each job it changed.
   */
  quietly(prisma: PrismaClient): JobService {
    const silent: JobTimers = { sync: async () => {}, remove: async () => {} };
    return new JobService({ ...this.deps, prisma, timers: silent, bus: { publishJobChange: () => {} } });
  }

  /** After a `quietly` change committed: the job's timer follows its row, and subscribers hear of it. */
  async announce(jobId: string, change: 'created' | 'updated' | 'deleted'): Promise<void> {
    if (change === 'deleted') await this.deps.timers.remove(jobId);
    else await this.deps.timers.sync(await this.get(jobId));
    this.deps.bus.publishJobChange({ jobId, change });
  }

  async get(id: string): Promise<Job> {
    const job = isUuid(id) ? await this.deps.prisma.job.findUnique({ where: { id } }) : null;
    if (!job) throw new NotFoundError('job', id);
    return job;
  }

  async create(input: JobInput, actorId?: string | null): Promise<Job> {
    const data = await this.validate(input, null);
    const job = await this.deps.prisma.job.create({
      data: {
        ...data.fields,
        createdById: actorId ?? null,
        targetUsers: { create: data.targetUserIds.map((userId) => ({ userId })) },
        targetRoles: { create: data.targetRoleIds.map((roleId) => ({ roleId })) },
        notifyUsers: { create: data.notify.notifyUserIds.map((userId) => ({ userId })) },
        notifyRoles: { create: data.notify.notifyRoleIds.map((roleId) => ({ roleId })) },
      },
    });
    await this.deps.timers.sync(job);
    this.deps.bus.publishJobChange({ jobId: job.id, change: 'created' });
    return job;
  }

  async update(id: string, patch: JobPatch): Promise<Job> {
    const current = await this.get(id);
    const targets = await this.deps.prisma.job.findUniqueOrThrow({
      where: { id },
      select: {
        targetUsers: { select: { userId: true } },
        targetRoles: { select: { roleId: true } },
        notifyUsers: { select: { userId: true } },
        notifyRoles: { select: { roleId: true } },
      },
    });
    const merged: JobInput = {
      ...jobToInput(current),
      targetUserIds: targets.targetUsers.map((t) => t.userId),
      targetRoleIds: targets.targetRoles.map((t) => t.roleId),
      notifyUserIds: targets.notifyUsers.map((n) => n.userId),
      notifyRoleIds: targets.notifyRoles.map((n) => n.roleId),
      ...patch,
    };
    const scheduleChanged = patch.schedule !== undefined;
    const data = await this.validate(merged, current, scheduleChanged);
    const job = await this.deps.prisma.$transaction(async (tx) => {
      if (patch.targetUserIds) {
        await tx.jobTargetUser.deleteMany({ where: { jobId: id } });
        await tx.jobTargetUser.createMany({ data: data.targetUserIds.map((userId) => ({ jobId: id, userId })) });
      }
      if (patch.targetRoleIds) {
        await tx.jobTargetRole.deleteMany({ where: { jobId: id } });
        await tx.jobTargetRole.createMany({ data: data.targetRoleIds.map((roleId) => ({ jobId: id, roleId })) });
      }
      if (patch.notifyUserIds) {
        await tx.jobNotifyUser.deleteMany({ where: { jobId: id } });
        await tx.jobNotifyUser.createMany({ data: data.notify.notifyUserIds.map((userId) => ({ jobId: id, userId })) });
      }
      if (patch.notifyRoleIds) {
        await tx.jobNotifyRole.deleteMany({ where: { jobId: id } });
        await tx.jobNotifyRole.createMany({ data: data.notify.notifyRoleIds.map((roleId) => ({ jobId: id, roleId })) });
      }
      return tx.job.update({ where: { id }, data: data.fields });
    });
    await this.deps.timers.sync(job);
    this.deps.bus.publishJobChange({ jobId: id, change: 'updated' });
    return job;
  }

  async delete(id: string): Promise<Job> {
    const job = await this.get(id);
    await this.deps.timers.remove(id);
    await this.deps.prisma.job.delete({ where: { id } });
    this.deps.bus.publishJobChange({ jobId: id, change: 'deleted' });
    return job;
  }

  /** Pause or resume. Resuming computes the next fire time from now (missed slots of a paused job never run). */
  async setEnabled(id: string, enabled: boolean): Promise<Job> {
    const current = await this.get(id);
    if (current.enabled === enabled) return current;
    const schedule = scheduleFromJob(current);
    const now = this.now();
    if (enabled) {
      const [next] = nextFireTimes(schedule, { after: now, count: 1, anchor: now });
      if (current.scheduleKind !== 'MANUAL' && !next) {
        throw new ConflictError(
          'this job has no future fire time (its end time, run limit or once-at time has passed); change its schedule first',
        );
      }
    }
    const job = await this.deps.prisma.job.update({
      where: { id },
      data: {
        enabled,
        disabledReason: null,
        nextRunAt: enabled ? (nextFireTimes(schedule, { after: now, count: 1, anchor: now })[0] ?? null) : null,
      },
    });
    await this.deps.timers.sync(job);
    this.deps.bus.publishJobChange({ jobId: id, change: 'updated' });
    return job;
  }

  /** Sundial itself disables a job (end reached, limit reached) and records why. */
  async disableWithReason(id: string, reason: string, tx: Prisma.TransactionClient = this.deps.prisma): Promise<void> {
    await tx.job.update({ where: { id }, data: { enabled: false, disabledReason: reason, nextRunAt: null } });
  }

  private async validate(input: JobInput, current: Job | null, scheduleChanged = true) {
    const errors: FieldError[] = [];
    const name = (input.name ?? '').trim();
    if (!name) errors.push({ field: 'name', message: 'is required' });
    else if (name.length > LIMITS.name) errors.push({ field: 'name', message: `must be at most ${LIMITS.name} characters` });
    const description = (input.description ?? '').trim();
    if (description.length > LIMITS.description) {
      errors.push({ field: 'description', message: `must be at most ${LIMITS.description} characters` });
    }
    if (input.key !== undefined && input.key !== null && !/^[a-z0-9][a-z0-9._-]{0,99}$/i.test(input.key)) {
      errors.push({ field: 'key', message: 'must be 1–100 letters, digits, dots, dashes or underscores' });
    }

    let args: Record<string, unknown> = {};
    const action = this.deps.actions.get(input.action);
    if (!action) {
      const known = this.deps.actions.list().map((a) => a.name);
      errors.push({
        field: 'action',
        message: `no action named "${input.action}"; available: ${known.length > 0 ? known.join(', ') : '(none loaded)'}`,
      });
    } else {
      const checked = action.validateArgs(input.args ?? {});
      if (checked.ok) args = checked.args;
      else errors.push(...prefixFields('args', checked.errors));
    }

    const range = (field: keyof typeof LIMITS & keyof JobInput, value: number | null | undefined) => {
      if (value === null || value === undefined) return;
      const [min, max] = LIMITS[field] as readonly [number, number];
      if (!Number.isInteger(value) || value < min || value > max) {
        errors.push({ field, message: `must be a whole number from ${min} to ${max}` });
      }
    };
    range('retries', input.retries);
    range('retryBackoffMs', input.retryBackoffMs);
    range('timeoutMs', input.timeoutMs);
    range('priority', input.priority);
    range('concurrency', input.concurrency);
    const queue = (input.queue ?? 'default').trim();
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(queue)) {
      errors.push({ field: 'queue', message: 'must be 1–64 letters, digits, dots, dashes or underscores' });
    }

    const now = this.now();
    // A changed schedule starts counting its runs again.
    const runCount = scheduleChanged ? 0 : (current?.runCount ?? 0);
    const scheduleInput: ScheduleInput = { scheduleKind: 'MANUAL', ...input.schedule, runCount };
    // An unchanged schedule is not re-judged against the clock (a once-at time that passed stays valid history).
    const checkedSchedule = validateSchedule(scheduleInput, scheduleChanged ? now : new Date(0));
    if (!checkedSchedule.ok) errors.push(...prefixFields('schedule', checkedSchedule.errors));

    const targetUserIds = [...new Set(input.targetUserIds ?? [])];
    const targetRoleIds = [...new Set(input.targetRoleIds ?? [])];
    errors.push(...(await this.missingTargets(targetUserIds, targetRoleIds)));
    const { settings: notify, errors: notifyErrors } = await validateNotificationSettings(this.deps.prisma, input);
    errors.push(...notifyErrors);

    if (errors.length > 0 || !checkedSchedule.ok) throw new ValidationError(errors);
    const schedule = checkedSchedule.schedule;
    const enabled = input.enabled ?? true;
    const [nextRunAt] = enabled ? nextFireTimes(schedule, { after: now, count: 1, anchor: now }) : [];

    const fields = {
      ...toJobFields(schedule),
      key: input.key ?? null,
      name,
      description,
      action: input.action,
      args: args as Prisma.InputJsonObject,
      enabled,
      disabledReason: null,
      perUser: input.perUser ?? false,
      retries: input.retries ?? null,
      retryBackoffMs: input.retryBackoffMs ?? null,
      timeoutMs: input.timeoutMs ?? null,
      queue,
      priority: input.priority ?? 0,
      concurrency: input.concurrency ?? null,
      overlapPolicy: input.overlapPolicy ?? 'SKIP',
      misfirePolicy: input.misfirePolicy ?? 'CATCH_UP_ONCE',
      nextRunAt: nextRunAt ?? null,
      notifyOn: notify.notifyOn,
      notifyEmails: notify.notifyEmails,
      notifyWebhooks: notify.notifyWebhooks,
    } satisfies Prisma.JobUncheckedCreateInput;
    return { fields, targetUserIds, targetRoleIds, notify };
  }

  private async missingTargets(userIds: string[], roleIds: string[]): Promise<FieldError[]> {
    const missing = await missingUsersAndRoles(this.deps.prisma, { userIds, roleIds });
    const errors: FieldError[] = [];
    if (missing.users.length > 0) errors.push({ field: 'targetUserIds', message: `no such user: ${missing.users.join(', ')}` });
    if (missing.roles.length > 0) errors.push({ field: 'targetRoleIds', message: `no such role: ${missing.roles.join(', ')}` });
    return errors;
  }
}

/** A stored job as the input that would recreate it (for patches). */
export function jobToInput(job: Job): JobInput {
  return {
    key: job.key,
    name: job.name,
    description: job.description,
    action: job.action,
    args: (job.args ?? {}) as Record<string, unknown>,
    enabled: job.enabled,
    perUser: job.perUser,
    schedule: {
      scheduleKind: job.scheduleKind,
      cron: job.cron,
      timezone: job.timezone,
      intervalSeconds: job.intervalSeconds,
      runAt: job.runAt,
      startAt: job.startAt,
      endAt: job.endAt,
      runLimit: job.runLimit,
    },
    retries: job.retries,
    retryBackoffMs: job.retryBackoffMs,
    timeoutMs: job.timeoutMs,
    queue: job.queue,
    priority: job.priority,
    concurrency: job.concurrency,
    overlapPolicy: job.overlapPolicy,
    misfirePolicy: job.misfirePolicy,
    notifyOn: job.notifyOn,
    notifyEmails: job.notifyEmails,
    notifyWebhooks: job.notifyWebhooks,
  };
}
