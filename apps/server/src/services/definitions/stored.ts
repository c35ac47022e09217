// A stored job in the definitions document's words and back: its references as id lists, the state a document
// defines (to tell an update that changed nothing), the file's job and schedule entries to the service's input.
import type { Prisma } from '../../db/prisma.js';
import type { JobInput } from '../jobs.js';
import type { ScheduleEntryInput, ScheduleInput } from '../schedule.js';
import { JOB_REFERENCES, jobSchema, type JobDefinition, type JobReference, type ScheduleDefinition, type ScheduleEntryDefinition } from './format.js';

/**
 * Columns that move on their own (timers, counters, bookkeeping): not part of what a document defines. The end of a
 * pause (`pausedUntil`) is defined by a document, so a changed one counts as a change.
 */
const VOLATILE_JOB_COLUMNS = new Set(['id', 'nextRunAt', 'runCount', 'disabledReason', 'createdById', 'createdAt', 'updatedAt']);

/** The relations that hold a job's references to users and roles (targets, notification recipients). */
export const REFERENCE_RELATIONS = {
  targetUsers: { select: { userId: true } },
  targetRoles: { select: { roleId: true } },
  notifyUsers: { select: { userId: true } },
  notifyRoles: { select: { roleId: true } },
} as const satisfies Record<JobReference['relation'], unknown>;
/** What a stored job is read with to compare it with, or write it as, a definition: its references and schedules. */
export const JOB_INCLUDE = {
  ...REFERENCE_RELATIONS,
  schedules: { orderBy: { position: 'asc' } },
  webhook: { select: { enabled: true } },
  calendars: { orderBy: { position: 'asc' }, select: { calendarId: true, mode: true } },
} as const satisfies Prisma.JobInclude;
export type JobWithReferences = Prisma.JobGetPayload<{ include: typeof JOB_INCLUDE }>;

/** Schedule columns that move on their own or are bookkeeping. */
const VOLATILE_SCHEDULE_COLUMNS = new Set(['id', 'jobId', 'nextRunAt', 'movedFrom', 'movedReason', 'runCount', 'disabledReason', 'createdAt', 'updatedAt']);

/** JSON with sorted keys: equality of stored values whatever order their keys came in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** A stored job's references as JobInput's id lists (targetUserIds, notifyRoleIds, …), sorted. */
export function referenceIds(job: JobWithReferences): Partial<Record<keyof typeof JOB_REFERENCES, string[]>> {
  return Object.fromEntries(
    Object.entries(JOB_REFERENCES).map(([field, ref]) => [
      field,
      (job[ref.relation] as ({ userId: string } | { roleId: string })[]).map((row) => ('userId' in row ? row.userId : row.roleId)).sort(),
    ]),
  );
}

/** What a document defines of a stored job: every column but the moving ones, and its references. */
export function jobState(job: JobWithReferences): string {
  const columns = Object.entries(job).filter(([column]) => !VOLATILE_JOB_COLUMNS.has(column) && !(column in JOB_INCLUDE));
  const schedules = job.schedules.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !VOLATILE_SCHEDULE_COLUMNS.has(column))));
  // The hook's switch counts (a document may turn it on or off); its secret never is read here.
  return canonical({ ...Object.fromEntries(columns), ...referenceIds(job), schedules, webhook: job.webhook, calendars: job.calendars });
}

/** A key from a job's name: `Send weekly digest` → `send-weekly-digest` (then -2, -3… if taken). */
export function uniqueKey(name: string, taken: Set<string | null>): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 90) || 'job';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** A job (as the input that recreates it) in the file's words: ids as e-mails and role names, defaults left out. */
export function toJobDefinition(input: JobInput, nameOf: (kind: 'user' | 'role', id: string) => string): JobDefinition {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input) as [keyof JobInput, unknown][]) {
    if (value === null || value === undefined || value === '') continue;
    const ref = (JOB_REFERENCES as Partial<Record<keyof JobInput, { field: string; kind: 'user' | 'role' }>>)[field];
    if (ref) {
      const ids = value as string[];
      if (ids.length > 0) out[ref.field] = ids.map((id) => nameOf(ref.kind, id)).sort();
    } else if (field === 'schedule') {
      out.schedule = toScheduleDefinition(value);
    } else if (field === 'schedules') {
      const entries = value as ScheduleEntryInput[];
      if (entries.length > 0) out.schedules = entries.map(toScheduleEntryDefinition);
    } else if (field === 'followUps') {
      // The export writes them with the jobs' keys (definitions/follow-ups.ts).
      continue;
    } else if (Array.isArray(value) && value.length === 0) {
      continue;
    } else {
      out[field] = value;
    }
  }
  // In the order the format lists its fields (targets next to perUser, not at the end), then checked like a read file.
  const order = Object.keys(jobSchema.shape);
  return jobSchema.parse(Object.fromEntries(Object.entries(out).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))));
}

function toScheduleDefinition({ scheduleKind, runCount: _runCount, ...rest }: ScheduleInput): ScheduleDefinition {
  const out: Record<string, unknown> = { kind: scheduleKind ?? 'MANUAL' };
  for (const [field, value] of Object.entries(rest)) {
    if (value === null || value === undefined || value === '') continue;
    out[field] = value instanceof Date ? value.toISOString() : value;
  }
  return out as ScheduleDefinition;
}

function toScheduleEntryDefinition({ id: _id, label, enabled, args, ...timing }: ScheduleEntryInput): ScheduleEntryDefinition {
  return {
    ...(label ? { label } : {}),
    ...toScheduleDefinition(timing),
    ...(enabled === false ? { enabled } : {}),
    ...(args && Object.keys(args).length > 0 ? { args } : {}),
  };
}

/** The file's job as the service's input, without the references (resolved to ids separately, follow-ups last). */
export function jobFields(job: JobDefinition): JobInput {
  const {
    key: _key,
    schedule,
    schedules,
    targetUsers: _targetUsers,
    targetRoles: _targetRoles,
    notifyUsers: _notifyUsers,
    notifyRoles: _notifyRoles,
    followUps: _followUps,
    webhook: _webhook,
    calendars: _calendars,
    blackoutPolicy: _blackoutPolicy,
    pausedUntil: _pausedUntil,
    ...rest
  } = job;
  if (schedules) return { ...rest, schedules: schedules.map(({ kind, ...entry }) => ({ scheduleKind: kind, ...entry })) };
  return { ...rest, schedule: toScheduleInput(schedule) };
}

function toScheduleInput(schedule: ScheduleDefinition | undefined): ScheduleInput {
  if (!schedule) return { scheduleKind: 'MANUAL' };
  const { kind, ...rest } = schedule;
  return { scheduleKind: kind, ...rest };
}
