// One apply of a definitions document inside its transaction: the ordinary RoleService, UserService and JobService
// bound to that transaction, entry by entry, each entry in its own savepoint, every problem recorded with its path
// in the file. Jobs' timers and subscribers hear of the changes only after the commit (the AfterCommit).
import { openEntrySavepoint, releaseEntrySavepoint, rollbackToEntrySavepoint } from '../../db/sql/definitions/entry-savepoint.js';
import { prismaSql, type SqlClient } from '../../db/sql/client.js';
import type { Prisma } from '../../db/prisma.js';
import type { CalendarService } from '../calendars.js';
import type { AfterCommit } from '../db-client.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../errors.js';
import type { JobInput, JobPatch, JobService } from '../jobs.js';
import type { RoleService } from '../roles.js';
import { toJobFields, validateSchedule, type ScheduleEntryInput } from '../schedule.js';
import type { UserService } from '../users.js';
import type { WebhookService } from '../webhooks/hooks.js';
import { formatPath, JOB_REFERENCES, normalizeId, type DefinitionsDocument, type UserDefinition } from './format.js';
import { canonical, JOB_INCLUDE, jobFields, jobState, type JobWithReferences } from './stored.js';

/** Keys Sundial's own jobs use (sundial.cleanup): prune never deletes them, they are created on start. */
const BUILT_IN_KEY_PREFIX = 'sundial.';

export interface KindChanges {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Jobs only, with `prune`. */
  deleted: string[];
}

export interface DefinitionsSummary {
  dryRun: boolean;
  calendars: KindChanges;
  roles: KindChanges;
  users: KindChanges;
  jobs: KindChanges;
  /** Jobs the document paused until a time (`pausedUntil`), for the audit log. */
  paused: Array<{ key: string; until: string }>;
}

/** The services an apply runs, each bound to the apply's transaction. */
export interface ApplyServices {
  roles: RoleService;
  users: UserService;
  jobs: JobService;
  webhooks: WebhookService;
  calendars: CalendarService;
}

/** The services' field names → the document's (errors must point into the file the user wrote). */
const FILE_FIELD_NAMES: Record<DocumentKind, Record<string, string>> = {
  calendars: {},
  roles: {},
  users: { roleIds: 'roles' },
  // JobService.pauseUntil names its time `until` (the mutation's argument).
  jobs: { ...Object.fromEntries(Object.entries(JOB_REFERENCES).map(([field, ref]) => [field, ref.field])), until: 'pausedUntil' },
};

function fileField(kind: keyof typeof FILE_FIELD_NAMES, field: string): string {
  const [head = '', ...rest] = field.split('.');
  const renamed = [FILE_FIELD_NAMES[kind][head] ?? head, ...rest].join('.');
  return renamed.replace(/(^|\.)(schedule|schedules\[\d+\])\.scheduleKind$/, '$1$2.kind');
}

type DocumentKind = 'calendars' | 'roles' | 'users' | 'jobs';

/** One apply: the transaction, the document, and what it found so far. */
export class ApplyRun {
  private readonly sql: SqlClient;

  constructor(
    private readonly tx: Prisma.TransactionClient,
    private readonly services: ApplyServices,
    private readonly afterCommit: AfterCommit,
    private readonly document: DefinitionsDocument,
    private readonly invalid: { calendars: Set<string>; roles: Set<string>; users: Set<string>; jobs: Set<string> },
    private readonly errors: FieldError[],
    private readonly summary: DefinitionsSummary,
  ) {
    this.sql = prismaSql(tx);
  }

  /** Calendars by name, before the jobs that attach them. */
  async calendars(): Promise<void> {
    for (const [index, calendar] of (this.document.calendars ?? []).entries()) {
      const name = calendar.name.trim();
      const input = { ...calendar, name };
      const snapshot = async () => {
        const row = await this.tx.calendar.findUnique({ where: { name } });
        return (
          row && {
            id: row.id,
            state: canonical({ name: row.name, description: row.description, timezone: row.timezone, blackoutForAllJobs: row.blackoutForAllJobs, entries: row.entries }),
          }
        );
      };
      await this.entry('calendars', index, name, snapshot, () => this.services.calendars.create(input), (id) => this.services.calendars.update(id, input));
    }
  }

  async roles(): Promise<void> {
    for (const [index, role] of this.document.roles.entries()) {
      const name = role.name.trim();
      const input = { name, description: role.description ?? '', permissions: role.permissions ?? [] };
      const snapshot = async () => {
        const row = await this.tx.role.findUnique({ where: { name } });
        return row && { id: row.id, state: canonical({ name: row.name, description: row.description, permissions: [...row.permissions].sort() }) };
      };
      await this.entry('roles', index, name, snapshot, () => this.services.roles.create(input), (id) => this.services.roles.update(id, input));
    }
  }

  async users(): Promise<void> {
    for (const [index, user] of this.document.users.entries()) {
      const email = normalizeId('users', user.email);
      const roleIds = user.roles ? await this.resolve('role', user.roles, ['users', index, 'roles']) : undefined;
      const input = userInput(user, roleIds);
      const snapshot = async () => {
        const row = await this.tx.user.findUnique({ where: { email }, include: { roles: { select: { roleId: true } } } });
        return (
          row && {
            id: row.id,
            state: canonical({ email: row.email, name: row.name, attributes: row.attributes, active: row.active, roles: row.roles.map((r) => r.roleId).sort() }),
          }
        );
      };
      await this.entry(
        'users',
        index,
        email,
        snapshot,
        () => this.services.users.create({ ...input, email }),
        (id) => this.services.users.update(id, input),
      );
    }
  }

  async jobs(): Promise<void> {
    for (const [index, job] of this.document.jobs.entries()) {
      const key = job.key.trim();
      const input: JobInput = { ...jobFields(job), key };
      for (const [field, ref] of Object.entries(JOB_REFERENCES) as [keyof typeof JOB_REFERENCES, (typeof JOB_REFERENCES)[keyof typeof JOB_REFERENCES]][]) {
        const names = job[ref.field];
        input[field] = names ? await this.resolve(ref.kind, names, ['jobs', index, ref.field]) : [];
      }
      // The hook's switch is part of what a document defines (when it names it); its secret never is.
      const snapshot = async () => {
        const row = await this.tx.job.findUnique({ where: { key }, include: JOB_INCLUDE });
        return row && { id: row.id, row, state: jobState(row) };
      };
      const declaredPause = job.pausedUntil === undefined ? null : new Date(job.pausedUntil);
      // A pause that has already ended (a file kept, or an export imported, after its time) leaves the job enabled,
      // as the pause itself would have: a stale time must not stop a start or an import. A new job is made enabled;
      // a stored job still paused until a later time is resumed (the document's time wins, as for a moved pause).
      const pauseOver = declaredPause !== null && declaredPause.getTime() <= Date.now();
      const pausedUntil = pauseOver ? null : declaredPause;
      if (pauseOver) input.enabled = true;
      // A pause ends by re-enabling the job: a job declared enabled cannot be paused meanwhile.
      const refusePausedAndEnabled = () => {
        if (pausedUntil && job.enabled === true) {
          throw new ValidationError([{ field: 'pausedUntil', message: 'a job paused until a time is disabled until then: leave enabled out or set it to false' }]);
        }
      };
      const setWebhook = async (jobId: string, current: Date | null) => {
        // The mutation's own path (JobService.pauseUntil): the timer moves to the end of the pause after the commit.
        if (pausedUntil && pausedUntil.getTime() !== current?.getTime()) {
          await this.services.jobs.pauseUntil(jobId, pausedUntil);
          this.summary.paused.push({ key, until: pausedUntil.toISOString() });
        }
        if (pauseOver && current) await this.services.jobs.setEnabled(jobId, true);
        if (job.webhook) await this.services.webhooks.setEnabled(jobId, job.webhook.enabled);
        if (job.calendars || job.blackoutPolicy) {
          const calendars = job.calendars
            ? await this.resolveCalendars(job.calendars, ['jobs', index, 'calendars'])
            : await this.tx.jobCalendar.findMany({ where: { jobId }, orderBy: { position: 'asc' }, select: { calendarId: true, mode: true } });
          await this.services.calendars.setJobCalendars(jobId, { calendars, blackoutPolicy: job.blackoutPolicy ?? null });
        }
      };
      await this.entry(
        'jobs',
        index,
        key,
        snapshot,
        async () => {
          refusePausedAndEnabled();
          await setWebhook((await this.services.jobs.create(input, null)).id, null);
        },
        async (id, current) => {
          refusePausedAndEnabled();
          await this.services.jobs.update(id, jobPatch(input, current.row));
          await setWebhook(id, current.row.pausedUntil);
        },
      );
    }
  }

  async prune(): Promise<void> {
    const declared = this.document.jobs.map((job) => job.key.trim());
    const stale = await this.tx.job.findMany({
      where: { key: { not: null, notIn: declared }, NOT: { key: { startsWith: BUILT_IN_KEY_PREFIX } } },
      select: { id: true, key: true },
      orderBy: { key: 'asc' },
    });
    for (const job of stale) {
      if (job.key === null || this.invalid.jobs.has(job.key)) continue;
      await this.services.jobs.delete(job.id);
      this.summary.jobs.deleted.push(job.key);
    }
  }

  /**
   * E-mails or role names → ids, as the transaction sees them (so things created earlier in the document count).
   * A name that is neither here nor in the document is an error; one whose entry in the document is itself in
   * error is skipped quietly (that entry's own error says what is wrong).
   */
  private async resolve(kind: 'user' | 'role', names: string[], at: (string | number)[]): Promise<string[]> {
    const docKind = kind === 'user' ? 'users' : 'roles';
    const wanted = names.map((name) => normalizeId(docKind, name));
    const rows =
      kind === 'user'
        ? await this.tx.user.findMany({ where: { email: { in: wanted } }, select: { id: true, email: true } }).then((found) => found.map((row) => [row.email, row.id] as const))
        : await this.tx.role.findMany({ where: { name: { in: wanted } }, select: { id: true, name: true } }).then((found) => found.map((row) => [row.name, row.id] as const));
    const idOf = new Map(rows);
    const declared = new Set(this.document[docKind].map((entry) => normalizeId(docKind, 'email' in entry ? entry.email : entry.name)));
    const ids: string[] = [];
    wanted.forEach((name, index) => {
      const id = idOf.get(name);
      if (id) ids.push(id);
      else if (!declared.has(name) && !this.invalid[docKind].has(name)) {
        this.errors.push({
          field: formatPath([...at, index]),
          message:
            kind === 'user'
              ? `no user with e-mail "${name}": declare it under users: or create it first`
              : `no role named "${name}": declare it under roles: or create it first`,
        });
      }
    });
    return [...new Set(ids)];
  }

  /** A job's calendars by name → ids; a name neither here nor declared is an error at its place. */
  private async resolveCalendars(
    attached: ReadonlyArray<{ calendar: string; mode: 'ONLY_INSIDE' | 'NEVER_INSIDE' }>,
    at: (string | number)[],
  ): Promise<Array<{ calendarId: string; mode: 'ONLY_INSIDE' | 'NEVER_INSIDE' }>> {
    const names = attached.map((entry) => entry.calendar.trim());
    const idOf = new Map((await this.tx.calendar.findMany({ where: { name: { in: names } }, select: { id: true, name: true } })).map((row) => [row.name, row.id]));
    const resolved: Array<{ calendarId: string; mode: 'ONLY_INSIDE' | 'NEVER_INSIDE' }> = [];
    attached.forEach((entry, position) => {
      const id = idOf.get(names[position]!);
      if (id) resolved.push({ calendarId: id, mode: entry.mode });
      else if (!this.invalid.calendars.has(names[position]!)) {
        this.errors.push({ field: formatPath([...at, position, 'calendar']), message: `no calendar named "${names[position]}": declare it under calendars: or create it first` });
      }
    });
    return resolved;
  }

  /**
   * One entry in its own savepoint: created, or updated and compared (an update that changed nothing is rolled
   * back and reported unchanged, so a restart with the same file touches nothing). A problem rolls back just the
   * entry and is recorded with its path, and the next entry is tried, so one run reports every problem. What the
   * entry queued for after the commit goes with its savepoint.
   */
  private async entry<S extends { id: string; state: string }>(
    kind: DocumentKind,
    index: number,
    name: string,
    snapshot: () => Promise<S | null>,
    create: () => Promise<unknown>,
    update: (id: string, current: S) => Promise<unknown>,
  ): Promise<void> {
    await openEntrySavepoint(this.sql);
    const mark = this.afterCommit.mark();
    const rollback = async () => {
      this.afterCommit.discardFrom(mark);
      await rollbackToEntrySavepoint(this.sql);
      await releaseEntrySavepoint(this.sql);
    };
    try {
      const before = await snapshot();
      if (!before) {
        await create();
        await releaseEntrySavepoint(this.sql);
        this.summary[kind].created.push(name);
        return;
      }
      await update(before.id, before);
      const after = await snapshot();
      if (after?.state === before.state) {
        await rollback();
        this.summary[kind].unchanged.push(name);
      } else {
        await releaseEntrySavepoint(this.sql);
        this.summary[kind].updated.push(name);
      }
    } catch (error) {
      await rollback();
      this.errors.push(...entryErrors(kind, index, error));
    }
  }
}

function userInput(user: UserDefinition, roleIds: string[] | undefined) {
  return {
    email: user.email,
    name: user.name,
    attributes: user.attributes ?? {},
    ...(user.active !== undefined ? { active: user.active } : {}),
    ...(roleIds ? { roleIds } : {}),
  };
}

/**
 * An update sends every field, but the schedules only when they differ (re-sent schedules would restart their run
 * counts), and `enabled` only when given, and not to a job Sundial itself finished (end or limit reached). The file
 * lists schedules without ids: the i-th entry is the job's i-th schedule, kept (with its count) while its timing is.
 */
function jobPatch(input: JobInput, current: JobWithReferences): JobPatch {
  const { schedule, schedules, enabled, ...patch } = input;
  const single = schedule && schedule.scheduleKind && schedule.scheduleKind !== 'MANUAL' ? [schedule] : [];
  const wanted: ScheduleEntryInput[] = schedules ?? single;
  const stored = current.schedules;
  const same = wanted.length === stored.length && wanted.every((entry, index) => sameSchedule(entry, stored[index]!));
  const changed = schedules ? { schedules: wanted.map((entry, index) => ({ ...entry, id: stored[index]?.id ?? null })) } : { schedule };
  return {
    ...patch,
    ...(same ? {} : changed),
    ...(enabled !== undefined && !(same && current.disabledReason) ? { enabled } : {}),
  };
}

/** Whether a file's schedule entry is what a stored schedule already is (timing, label, enabled, args). */
function sameSchedule(entry: ScheduleEntryInput, row: JobWithReferences['schedules'][number]): boolean {
  const { id: _id, label, enabled, args, ...timing } = entry;
  const checked = validateSchedule({ ...timing, runCount: row.runCount }, new Date(0));
  if (!checked.ok) return false;
  const fields = toJobFields(checked.schedule);
  const sameTiming = Object.entries(fields).every(([field, value]) => canonical(value) === canonical(row[field as keyof typeof fields]));
  return sameTiming && (label?.trim() || null) === row.label && (enabled ?? true) === (row.enabled || row.disabledReason !== null) &&
    canonical(args ?? null) === canonical(row.args ?? null);
}

function entryErrors(kind: DocumentKind, index: number, error: unknown): FieldError[] {
  const at = formatPath([kind, index]);
  if (error instanceof ValidationError) {
    return error.errors.map((fieldError) => ({ field: fieldError.field ? `${at}.${fileField(kind, fieldError.field)}` : at, message: fieldError.message }));
  }
  if (error instanceof ConflictError || error instanceof NotFoundError) return [{ field: at, message: error.message }];
  // Another process created the same thing between our check and our write (the lock covers applies, not the app).
  if ((error as { code?: unknown }).code === 'P2002') return [{ field: at, message: 'was created by someone else meanwhile; apply again' }];
  throw error;
}
