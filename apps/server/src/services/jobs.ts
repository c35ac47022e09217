// The rules for jobs: what a valid job is, and what follows a change (subscribers, and the workers' slot clocks,
// hear of it on the bus). The jobs table is the truth: a job's next slot is read from it when it comes due. A job's fields and their value rules are
// @sundial/job-schema's (shared with the GraphQL input, the definitions file and the web form); this service adds
// the rules that need the install: the action and its args, the users and roles, the schedule, the notifications.
import { fieldErrors, jobInputSchema, type JobInput, type misfirePolicies, type overlapPolicies, type scheduleKinds } from '@sundial/job-schema';
import type { Job, JobSchedule, MisfirePolicy, OverlapPolicy, Prisma, ScheduleKind } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';
import type { ActionCatalog } from './action-catalog.js';
import { checkFollowUps, saveFollowUps } from './chains.js';
import { AfterCommit, inTransaction, type DbClient } from './db-client.js';
import { ConflictError, NotFoundError, prefixFields, ValidationError, type FieldError } from './errors.js';
import { validateNotificationSettings } from './notifications/settings.js';
import { earliestNextRun, resumedSlots, scheduleRow, storedEntry, writeSchedules } from './job-schedules.js';
import { validateSchedule, validateScheduleEntries, type CheckedScheduleEntry, type ScheduleEntryInput } from './schedule.js';
import { isUuid } from './ids.js';
import { missingUsersAndRoles } from './targets.js';

export type { JobInput } from '@sundial/job-schema';
export type JobPatch = Partial<JobInput>;

/** The schema's enum values are the database's (prisma/schema.prisma): a value added on one side fails to compile. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SchemaEnumsMatchDatabase = [
  true extends Same<OverlapPolicy, (typeof overlapPolicies)[number]> ? true : never,
  true extends Same<MisfirePolicy, (typeof misfirePolicies)[number]> ? true : never,
  true extends Same<ScheduleKind, (typeof scheduleKinds)[number]> ? true : never,
] extends [true, true, true]
  ? true
  : never;
export const SCHEMA_ENUMS_MATCH_DATABASE: SchemaEnumsMatchDatabase = true;

export interface JobServiceDeps {
  db: DbClient;
  actions: ActionCatalog;
  bus: Pick<RealtimeBus, 'publishJobChange'>;
  now?: () => Date;
  /** Set when `db` is a caller's transaction: subscribers hear of changes once it has committed. */
  afterCommit?: AfterCommit;
}

export class JobService {
  private readonly now: () => Date;
  constructor(private readonly deps: JobServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** These rules inside the caller's transaction `tx`; subscribers hear of each change once `afterCommit` runs. */
  within(tx: Prisma.TransactionClient, afterCommit: AfterCommit): JobService {
    return new JobService({ ...this.deps, db: tx, afterCommit });
  }

  /** Subscribers (the slot clocks among them) hear of the change: now, or after the caller's commit. */
  private async changed(job: Job | string, change: 'created' | 'updated' | 'deleted'): Promise<void> {
    const effect = async () => {
      this.deps.bus.publishJobChange({ jobId: typeof job === 'string' ? job : job.id, change });
    };
    if (this.deps.afterCommit) this.deps.afterCommit.add(effect);
    else await effect();
  }

  async get(id: string): Promise<Job> {
    const job = isUuid(id) ? await this.deps.db.job.findUnique({ where: { id } }) : null;
    if (!job) throw new NotFoundError('job', id);
    return job;
  }

  async create(input: JobInput, actorId?: string | null): Promise<Job> {
    const data = await this.validate(input, null, []);
    const now = this.now();
    const rows = (data.schedules ?? []).map((entry, position) => scheduleRow(entry, position, data.fields.enabled, now));
    const job = await this.withFollowUps(null, input.followUps, (db) => db.job.create({
      data: {
        ...data.fields,
        nextRunAt: earliestNextRun(rows),
        createdById: actorId ?? null,
        schedules: { create: rows },
        targetUsers: { create: data.targetUserIds.map((userId) => ({ userId })) },
        targetRoles: { create: data.targetRoleIds.map((roleId) => ({ roleId })) },
        notifyUsers: { create: data.notify.notifyUserIds.map((userId) => ({ userId })) },
        notifyRoles: { create: data.notify.notifyRoleIds.map((roleId) => ({ roleId })) },
      },
    }));
    await this.changed(job, 'created');
    return job;
  }

  async update(id: string, patch: JobPatch): Promise<Job> {
    const current = await this.get(id);
    const targets = await this.deps.db.job.findUniqueOrThrow({
      where: { id },
      select: {
        targetUsers: { select: { userId: true } },
        targetRoles: { select: { roleId: true } },
        notifyUsers: { select: { userId: true } },
        notifyRoles: { select: { roleId: true } },
      },
    });
    const stored = await this.schedulesOf(id);
    const merged: JobInput = {
      ...jobToInput(current, stored),
      targetUserIds: targets.targetUsers.map((t) => t.userId),
      targetRoleIds: targets.targetRoles.map((t) => t.roleId),
      notifyUserIds: targets.notifyUsers.map((n) => n.userId),
      notifyRoleIds: targets.notifyRoles.map((n) => n.roleId),
      ...patch,
    };
    // A single `schedule` in the patch replaces the stored list.
    if (patch.schedule !== undefined && patch.schedules === undefined) delete merged.schedules;
    const data = await this.validate(merged, current, stored, patch.schedule !== undefined || patch.schedules !== undefined);
    const job = await this.withFollowUps(id, patch.followUps, async (tx) => {
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
      const nextRunAt = data.schedules ? await writeSchedules(tx, id, data.schedules, current.enabled, this.now()) : current.nextRunAt;
      return tx.job.update({ where: { id }, data: { ...data.fields, enabled: current.enabled, nextRunAt: current.enabled ? nextRunAt : null } });
    });
    await this.changed(job, 'updated');
    return job;
  }

  /**
   * `write` in a transaction, with the job's follow-ups checked before it and replaced after it when given (left
   * out: unchanged); a refused follow-up rolls the whole change back.
   */
  private withFollowUps(jobId: string | null, followUps: JobInput['followUps'], write: (tx: Prisma.TransactionClient) => Promise<Job>): Promise<Job> {
    return inTransaction(this.deps.db, async (tx) => {
      const checked = followUps ? await checkFollowUps(tx, this.deps.actions, jobId, followUps) : null;
      const job = await write(tx);
      if (checked) await saveFollowUps(tx, job.id, checked);
      return job;
    });
  }

  async delete(id: string): Promise<Job> {
    const job = await this.get(id);
    await this.deps.db.job.delete({ where: { id } });
    await this.changed(id, 'deleted');
    return job;
  }

  /** Pause or resume. Resuming computes each schedule's next slot from now (missed slots of a paused job never run). */
  async setEnabled(id: string, enabled: boolean): Promise<Job> {
    const current = await this.get(id);
    if (current.enabled === enabled) {
      // Paused until a time, then paused (or resumed) by hand: the hand's word holds, with no end.
      if (!current.pausedUntil) return current;
      if (!enabled) {
        const job = await this.deps.db.job.update({ where: { id }, data: { pausedUntil: null } });
        await this.changed(job, 'updated');
        return job;
      }
    }
    const schedules = await this.schedulesOf(id);
    const resumed = enabled ? resumedSlots(schedules, this.now()) : [];
    const nextRunAt = earliestNextRun(resumed.map((slot) => ({ enabled: true, nextRunAt: slot.nextRunAt })));
    if (enabled && schedules.length > 0 && !nextRunAt) {
      throw new ConflictError(
        'none of this job\'s schedules has a future fire time (their end times, run limits or once-at times have passed, or they are disabled); change its schedules first',
      );
    }
    const job = await inTransaction(this.deps.db, async (tx) => {
      for (const slot of resumed) await tx.jobSchedule.update({ where: { id: slot.id }, data: { nextRunAt: slot.nextRunAt, movedFrom: null, movedReason: null } });
      return tx.job.update({ where: { id }, data: { enabled, disabledReason: null, pausedUntil: null, nextRunAt: enabled ? nextRunAt : null } });
    });
    await this.changed(job, 'updated');
    return job;
  }

  /**
   * Pauses the job now and re-enables it at `until` (its timer fires then; the slots in between never run). Paused
   * already: the pause gets this end.
   */
  async pauseUntil(id: string, until: Date): Promise<Job> {
    const current = await this.get(id);
    if (Number.isNaN(until.getTime()) || until.getTime() <= this.now().getTime()) {
      throw new ValidationError([{ field: 'until', message: `must be in the future (it is ${this.now().toISOString()} now)` }]);
    }
    const job = await this.deps.db.job.update({
      where: { id },
      data: { enabled: false, pausedUntil: until, nextRunAt: null, ...(current.enabled ? { disabledReason: null } : {}) },
    });
    await this.changed(job, 'updated');
    return job;
  }

  /** A job's schedules in their order. */
  schedulesOf(jobId: string): Promise<JobSchedule[]> {
    return this.deps.db.jobSchedule.findMany({ where: { jobId }, orderBy: { position: 'asc' } });
  }

  /** What is wrong with an action name (no such action, and which there are), or null when it is loaded. */
  unknownAction(name: string): string | null {
    if (this.deps.actions.get(name)) return null;
    const known = this.deps.actions.list().map((a) => a.name);
    return `no action named "${name}"; available: ${known.length > 0 ? known.join(', ') : '(none loaded)'}`;
  }

  private async validate(input: JobInput, current: Job | null, stored: JobSchedule[], schedulesChanged = true) {
    const parsed = jobInputSchema.safeParse(input);
    const errors: FieldError[] = parsed.success ? [] : fieldErrors(parsed.error);
    // A field whose value is the wrong shape is reported once, by the schema; the rules below judge the others.
    const wrong = new Set(errors.map((error) => error.field.split(/[.[]/)[0]));

    let args: Record<string, unknown> = {};
    const action = wrong.has('action') ? undefined : this.deps.actions.get(input.action);
    const unknown = wrong.has('action') ? null : this.unknownAction(input.action);
    if (unknown) {
      errors.push({ field: 'action', message: unknown });
    } else if (action && !wrong.has('args')) {
      const checked = action.validateArgs(input.args ?? {});
      // Stored as given (normalised), without the defaults the schema fills in: a job keeps following the
      // action's defaults unless it sets a value; each run applies them when it starts.
      const given = new Set(Object.keys(input.args ?? {}));
      if (checked.ok) args = Object.fromEntries(Object.entries(checked.args).filter(([key]) => given.has(key)));
      else errors.push(...prefixFields('args', checked.errors));
    }

    const now = this.now();
    const schedules = wrong.has('schedule') || wrong.has('schedules') ? null : this.checkSchedules(input, stored, now, errors);
    // Each schedule's args with the job's, judged whatever the rest of its entry holds (every problem at once).
    if (!wrong.has('schedules') && action && !wrong.has('args')) {
      (input.schedules ?? []).forEach((entry, index) => {
        if (!entry.args) return;
        const checked = action.validateArgs({ ...(input.args ?? {}), ...entry.args });
        if (!checked.ok) errors.push(...prefixFields(`schedules[${index}].args`, checked.errors));
      });
    }

    // A key names one job: a second job with it is refused at the field (the database would refuse it anyway).
    if (!wrong.has('key') && input.key && input.key !== current?.key) {
      const taken = await this.deps.db.job.findUnique({ where: { key: input.key }, select: { name: true } });
      if (taken) errors.push({ field: 'key', message: `is already the key of the job "${taken.name}"` });
    }

    const targetUserIds = [...new Set(wrong.has('targetUserIds') ? [] : (input.targetUserIds ?? []))];
    const targetRoleIds = [...new Set(wrong.has('targetRoleIds') ? [] : (input.targetRoleIds ?? []))];
    errors.push(...(await this.missingTargets(targetUserIds, targetRoleIds)));
    const notifyWrong = [...wrong].some((field) => field?.startsWith('notify'));
    const notification = notifyWrong ? null : await validateNotificationSettings(this.deps.db, input);
    errors.push(...(notification?.errors ?? []));

    if (!parsed.success || !notification || errors.length > 0) throw new ValidationError(errors);
    const job = parsed.data;
    const notify = notification.settings;
    const enabled = job.enabled ?? true;

    const fields = {
      key: job.key ?? null,
      name: job.name,
      description: job.description ?? '',
      action: job.action,
      args: args as Prisma.InputJsonObject,
      enabled,
      disabledReason: null,
      perUser: job.perUser ?? false,
      retries: job.retries ?? null,
      retryBackoffMs: job.retryBackoffMs ?? null,
      timeoutMs: job.timeoutMs ?? null,
      queue: job.queue ?? 'default',
      priority: job.priority ?? 0,
      concurrency: job.concurrency ?? null,
      overlapPolicy: job.overlapPolicy ?? 'SKIP',
      misfirePolicy: job.misfirePolicy ?? 'CATCH_UP_ONCE',
      notifyOn: notify.notifyOn,
      notifyEmails: notify.notifyEmails,
      notifyWebhooks: notify.notifyWebhooks,
    } satisfies Prisma.JobUncheckedCreateInput;
    return { fields, targetUserIds, targetRoleIds, notify, schedules: current && !schedulesChanged ? null : schedules };
  }

  /**
   * The job's schedules as checked entries: `schedules` (errors named `schedules[i].field`), or the single `schedule`
   * (`schedule.field`; MANUAL means none). Both given is an error. The stored ones are what ids refer to.
   */
  private checkSchedules(input: JobInput, stored: JobSchedule[], now: Date, errors: FieldError[]): CheckedScheduleEntry[] | null {
    if (input.schedule !== undefined && input.schedules !== undefined) {
      errors.push({ field: 'schedules', message: 'give either schedules (a list) or schedule (one), not both' });
      return null;
    }
    if (input.schedule !== undefined) {
      const single = validateSchedule({ scheduleKind: 'MANUAL', ...input.schedule, runCount: 0 }, now);
      if (!single.ok) {
        errors.push(...prefixFields('schedule', single.errors));
        return null;
      }
      if (single.schedule.scheduleKind === 'MANUAL') return [];
    }
    // One stored schedule and one given: the same schedule, changed or not (its row, and its runs' link, stay).
    const sameId = stored.length === 1 ? { id: stored[0]!.id } : {};
    const list: ScheduleEntryInput[] = input.schedules ?? (input.schedule ? [{ ...sameId, ...input.schedule }] : []);
    const checked = validateScheduleEntries(list, stored.map(storedEntry), now);
    if (checked.ok) return checked.entries;
    const prefix = input.schedules === undefined ? 'schedule' : 'schedules';
    errors.push(...checked.errors.map((error) => ({ ...error, field: input.schedules === undefined ? `${prefix}.${error.field.replace(/^\[0\]\./, '')}` : `${prefix}${error.field}` })));
    return null;
  }

  private async missingTargets(userIds: string[], roleIds: string[]): Promise<FieldError[]> {
    const missing = await missingUsersAndRoles(this.deps.db, { userIds, roleIds });
    const errors: FieldError[] = [];
    if (missing.users.length > 0) errors.push({ field: 'targetUserIds', message: `no such user: ${missing.users.join(', ')}` });
    if (missing.roles.length > 0) errors.push({ field: 'targetRoleIds', message: `no such role: ${missing.roles.join(', ')}` });
    return errors;
  }
}

/** A stored job as the input that would recreate it (for patches). */
export function jobToInput(job: Job, schedules: readonly JobSchedule[]): JobInput {
  return {
    key: job.key,
    name: job.name,
    description: job.description,
    action: job.action,
    args: (job.args ?? {}) as Record<string, unknown>,
    enabled: job.enabled,
    perUser: job.perUser,
    schedules: schedules.map((row) => ({
      id: row.id,
      label: row.label,
      enabled: row.enabled,
      args: (row.args ?? null) as Record<string, unknown> | null,
      scheduleKind: row.scheduleKind,
      cron: row.cron,
      timezone: row.timezone,
      intervalSeconds: row.intervalSeconds,
      runAt: row.runAt,
      startAt: row.startAt,
      endAt: row.endAt,
      runLimit: row.runLimit,
    })),
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
