// Jobs as code: a definitions document (roles, users, jobs; services/definitions/format.ts) applied to an install
// by stable keys, and an install's jobs exported as one. The rules of each thing stay with its service: applying
// runs RoleService, UserService and JobService inside ONE transaction, entry by entry, collecting every problem;
// any problem (or a dry run) rolls the whole transaction back, so a document is applied whole or not at all, and a
// dry run answers exactly what applying would. Timers and subscribers hear of changed jobs only after the commit.
import type { Job, Prisma, PrismaClient } from '../db/prisma.js';
import type { ActionCatalog } from './action-catalog.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from './errors.js';
import {
  DOCUMENT_VERSION,
  formatPath,
  JOB_REFERENCES,
  jobSchema,
  normalizeId,
  parseDefinitions,
  readDocument,
  type DefinitionsDocument,
  type DefinitionsFormat,
  type JobDefinition,
  type JobReference,
  type ScheduleDefinition,
  type UserDefinition,
} from './definitions/format.js';
import { joinTransaction } from './definitions/transaction.js';
import { jobToInput, type JobInput, type JobPatch, type JobService } from './jobs.js';
import { RoleService } from './roles.js';
import { toJobFields, validateSchedule, type ScheduleInput } from './schedule.js';
import { UserService } from './users.js';

export { DOCUMENT_VERSION, formatFromName, parseDefinitions, stringifyDefinitions } from './definitions/format.js';
export type { DefinitionsDocument, DefinitionsFormat } from './definitions/format.js';

export interface DefinitionsDeps {
  prisma: PrismaClient;
  actions: ActionCatalog;
  jobs: JobService;
}

export interface KindChanges {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Jobs only, with `prune`. */
  deleted: string[];
}

export interface DefinitionsSummary {
  dryRun: boolean;
  roles: KindChanges;
  users: KindChanges;
  jobs: KindChanges;
}

export interface ApplyOptions {
  /** Check and report what would change; change nothing. */
  dryRun?: boolean;
  /** Delete jobs that have a key but are not in the document (never `sundial.*` built-ins, never jobs without a key). */
  prune?: boolean;
}

export interface ExportResult {
  document: DefinitionsDocument;
  /** Jobs made in the app have no key; the document gives them one from their name (the job itself is not changed). */
  generatedKeys: { name: string; key: string }[];
}

/** Keys Sundial's own jobs use (sundial.cleanup): prune never deletes them, they are created on start. */
const BUILT_IN_KEY_PREFIX = 'sundial.';
/** One apply at a time per install: processes starting together would otherwise race to create the same keys. */
const APPLY_LOCK = 0x5d_de_f1;
/** Columns that move on their own (timers, counters, bookkeeping): not part of what a document defines. */
const VOLATILE_JOB_COLUMNS = new Set(['id', 'nextRunAt', 'runCount', 'disabledReason', 'createdById', 'createdAt', 'updatedAt']);

/** The services' field names → the document's (errors must point into the file the user wrote). */
const FILE_FIELD_NAMES: Record<'roles' | 'users' | 'jobs', Record<string, string>> = {
  roles: {},
  users: { roleIds: 'roles' },
  jobs: Object.fromEntries(Object.entries(JOB_REFERENCES).map(([field, ref]) => [field, ref.field])),
};

function fileField(kind: keyof typeof FILE_FIELD_NAMES, field: string): string {
  const [head = '', ...rest] = field.split('.');
  const renamed = [FILE_FIELD_NAMES[kind][head] ?? head, ...rest].join('.');
  return renamed.replace(/(^|\.)schedule\.scheduleKind$/, '$1schedule.kind');
}

class Rollback extends Error {}

function emptyChanges(): KindChanges {
  return { created: [], updated: [], unchanged: [], deleted: [] };
}

/** JSON with sorted keys: equality of stored values whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

export class DefinitionsService {
  constructor(private readonly deps: DefinitionsDeps) {}

  /** Every problem of a document (text), each with its path; empty when it would apply. Changes nothing. */
  async validate(source: string, format: DefinitionsFormat): Promise<FieldError[]> {
    try {
      await this.applyText(source, format, { dryRun: true });
      return [];
    } catch (error) {
      if (error instanceof ValidationError) return error.errors;
      throw error;
    }
  }

  /** Parses text (YAML or JSON) and applies it; unreadable text is a ValidationError like any other problem. */
  applyText(source: string, format: DefinitionsFormat, options: ApplyOptions = {}): Promise<DefinitionsSummary> {
    const parsed = parseDefinitions(source, format);
    if ('error' in parsed) return Promise.reject(new ValidationError([{ field: '', message: parsed.error }]));
    return this.apply(parsed.raw, options);
  }

  /**
   * Upserts the document's roles (by name), users (by e-mail) and jobs (by key); what it does not name is left
   * alone (unless `prune`). Throws a ValidationError listing every problem, and then nothing has changed.
   */
  async apply(raw: unknown, options: ApplyOptions = {}): Promise<DefinitionsSummary> {
    const { document, errors, invalid } = readDocument(raw);
    const summary: DefinitionsSummary = { dryRun: options.dryRun ?? false, roles: emptyChanges(), users: emptyChanges(), jobs: emptyChanges() };
    const changedJobs = new Map<string, 'created' | 'updated' | 'deleted'>();
    try {
      await this.deps.prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPLY_LOCK}::bigint)`;
          const run = new ApplyRun(tx, this.deps, document, invalid, errors, summary, changedJobs);
          await run.roles();
          await run.users();
          await run.jobs();
          if (options.prune) await run.prune();
          if (errors.length > 0 || options.dryRun) throw new Rollback();
        },
        // A large document on the embedded database takes a while; the default 5 s would cut it off half-way.
        { maxWait: 30_000, timeout: 300_000 },
      );
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    if (errors.length > 0) throw new ValidationError(errors);
    if (!options.dryRun) {
      for (const [jobId, change] of changedJobs) await this.deps.jobs.announce(jobId, change);
    }
    return summary;
  }

  /**
   * The install's jobs (or those with the given keys) as a document, with the users and roles they refer to.
   * `userAttributes: false` leaves users' attributes out, for callers who may read jobs but not manage users.
   */
  async export(options: { jobKeys?: string[]; userAttributes?: boolean } = {}): Promise<ExportResult> {
    const { prisma } = this.deps;
    const keys = options.jobKeys?.map((key) => key.trim()).filter(Boolean);
    const jobs = await prisma.job.findMany({
      where: keys?.length ? { key: { in: keys } } : {},
      include: REFERENCE_RELATIONS,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    if (keys?.length) {
      const found = new Set(jobs.map((job) => job.key));
      const missing = keys.filter((key) => !found.has(key));
      if (missing.length > 0) throw new ValidationError([{ field: 'jobKeys', message: `no job with key ${missing.map((key) => `"${key}"`).join(', ')}` }]);
    }

    const inputs = jobs.map((job) => ({
      job,
      input: { ...jobToInput(job), ...referenceIds(job) },
    }));
    const referenced = (kind: 'user' | 'role') =>
      inputs.flatMap(({ input }) =>
        Object.entries(JOB_REFERENCES).flatMap(([field, ref]) => (ref.kind === kind ? ((input[field as keyof JobInput] as string[] | undefined) ?? []) : [])),
      );
    const users = await prisma.user.findMany({
      where: { id: { in: [...new Set(referenced('user'))] } },
      include: { roles: { select: { roleId: true } } },
      orderBy: { email: 'asc' },
    });
    const roleIds = new Set([...referenced('role'), ...users.flatMap((user) => user.roles.map((membership) => membership.roleId))]);
    const roles = await prisma.role.findMany({ where: { id: { in: [...roleIds] } }, orderBy: { name: 'asc' } });
    const emailOf = new Map(users.map((user) => [user.id, user.email]));
    const roleNameOf = new Map(roles.map((role) => [role.id, role.name]));

    const taken = new Set((await prisma.job.findMany({ where: { key: { not: null } }, select: { key: true } })).map((job) => job.key));
    const generatedKeys: ExportResult['generatedKeys'] = [];
    const document: DefinitionsDocument = {
      version: DOCUMENT_VERSION,
      roles: roles.map((role) => ({
        name: role.name,
        ...(role.description ? { description: role.description } : {}),
        permissions: [...role.permissions],
      })),
      users: users.map((user) => ({
        email: user.email,
        name: user.name,
        ...(options.userAttributes !== false && Object.keys(user.attributes as object).length > 0
          ? { attributes: user.attributes as Record<string, unknown> }
          : {}),
        active: user.active,
        roles: user.roles.map((membership) => roleNameOf.get(membership.roleId)).filter((name): name is string => Boolean(name)).sort(),
      })),
      jobs: inputs.map(({ job, input }) => {
        let key = job.key;
        if (!key) {
          key = uniqueKey(job.name, taken);
          generatedKeys.push({ name: job.name, key });
        }
        return toJobDefinition({ ...input, key }, (kind, id) => (kind === 'user' ? emailOf.get(id) : roleNameOf.get(id)) ?? id);
      }),
    };
    return { document, generatedKeys };
  }
}

/** A key from a job's name: `Send weekly digest` → `send-weekly-digest` (then -2, -3… if taken). */
function uniqueKey(name: string, taken: Set<string | null>): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 90) || 'job';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** A job (as the input that recreates it) in the file's words: ids as e-mails and role names, defaults left out. */
function toJobDefinition(input: JobInput, nameOf: (kind: 'user' | 'role', id: string) => string): JobDefinition {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input) as [keyof JobInput, unknown][]) {
    if (value === null || value === undefined || value === '') continue;
    const ref = (JOB_REFERENCES as Partial<Record<keyof JobInput, { field: string; kind: 'user' | 'role' }>>)[field];
    if (ref) {
      const ids = value as string[];
      if (ids.length > 0) out[ref.field] = ids.map((id) => nameOf(ref.kind, id)).sort();
    } else if (field === 'schedule') {
      out.schedule = toScheduleDefinition(value);
    } else if (Array.isArray(value) && value.length === 0) {
      continue;
    } else {
      out[field] = value;
    }
  }
  // In the order the format lists its fields (targets next to perUser, not at the end).
  const order = Object.keys(jobSchema.shape);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) as JobDefinition;
}

function toScheduleDefinition({ scheduleKind, runCount: _runCount, ...rest }: ScheduleInput): ScheduleDefinition {
  const out: Record<string, unknown> = { kind: scheduleKind ?? 'MANUAL' };
  for (const [field, value] of Object.entries(rest)) {
    if (value === null || value === undefined || value === '') continue;
    out[field] = value instanceof Date ? value.toISOString() : value;
  }
  return out as ScheduleDefinition;
}

function toScheduleInput(schedule: ScheduleDefinition | undefined): ScheduleInput {
  if (!schedule) return { scheduleKind: 'MANUAL' };
  const { kind, ...rest } = schedule;
  return { scheduleKind: kind, ...rest };
}

/** One apply: the transaction, the document, and what it found so far. */
class ApplyRun {
  private readonly client: PrismaClient;
  private readonly roleService: RoleService;
  private readonly userService: UserService;
  private readonly jobService: JobService;

  constructor(
    private readonly tx: Prisma.TransactionClient,
    deps: DefinitionsDeps,
    private readonly document: DefinitionsDocument,
    private readonly invalid: { roles: Set<string>; users: Set<string>; jobs: Set<string> },
    private readonly errors: FieldError[],
    private readonly summary: DefinitionsSummary,
    private readonly changedJobs: Map<string, 'created' | 'updated' | 'deleted'>,
  ) {
    this.client = joinTransaction(tx);
    this.roleService = new RoleService(this.client);
    this.userService = new UserService(this.client);
    this.jobService = deps.jobs.quietly(this.client);
  }

  async roles(): Promise<void> {
    for (const [index, role] of this.document.roles.entries()) {
      const name = role.name.trim();
      const input = { name, description: role.description ?? '', permissions: role.permissions ?? [] };
      const snapshot = async () => {
        const row = await this.tx.role.findUnique({ where: { name } });
        return row && { id: row.id, state: canonical({ name: row.name, description: row.description, permissions: [...row.permissions].sort() }) };
      };
      await this.entry('roles', index, name, snapshot, () => this.roleService.create(input), (id) => this.roleService.update(id, input));
    }
  }

  async users(): Promise<void> {
    for (const [index, user] of this.document.users.entries()) {
      const email = normalizeId('users', user.email);
      const roleIds = user.roles ? await this.resolve('role', user.roles, ['users', index, 'roles']) : undefined;
      const input = this.userInput(user, roleIds);
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
        () => this.userService.create({ ...input, email }),
        (id) => this.userService.update(id, input),
      );
    }
  }

  private userInput(user: UserDefinition, roleIds: string[] | undefined) {
    return {
      email: user.email,
      name: user.name,
      attributes: user.attributes ?? {},
      ...(user.active !== undefined ? { active: user.active } : {}),
      ...(roleIds ? { roleIds } : {}),
    };
  }

  async jobs(): Promise<void> {
    for (const [index, job] of this.document.jobs.entries()) {
      const key = job.key.trim();
      const input: JobInput = { ...this.jobFields(job), key };
      for (const [field, ref] of Object.entries(JOB_REFERENCES) as [keyof typeof JOB_REFERENCES, (typeof JOB_REFERENCES)[keyof typeof JOB_REFERENCES]][]) {
        const names = (job as Record<string, unknown>)[ref.field] as string[] | undefined;
        input[field] = names ? await this.resolve(ref.kind, names, ['jobs', index, ref.field]) : [];
      }
      const snapshot = async () => {
        const row = await this.tx.job.findUnique({ where: { key }, include: REFERENCE_RELATIONS });
        return row && { id: row.id, row, state: jobState(row) };
      };
      await this.entry(
        'jobs',
        index,
        key,
        snapshot,
        async () => this.changedJobs.set((await this.jobService.create(input, null)).id, 'created'),
        async (id, current) => {
          await this.jobService.update(id, this.jobPatch(input, current.row));
          this.changedJobs.set(id, 'updated');
        },
        (id) => this.changedJobs.delete(id),
      );
    }
  }

  /** The document's job as the service's input, without the references (resolved separately). */
  private jobFields(job: JobDefinition): JobInput {
    const { key: _key, schedule, ...rest } = job;
    const input: Record<string, unknown> = { ...rest, schedule: toScheduleInput(schedule) };
    for (const ref of Object.values(JOB_REFERENCES)) delete input[ref.field];
    return input as unknown as JobInput;
  }

  /**
   * An update sends every field, but the schedule only when it differs (a re-sent schedule would restart its run
   * count), and `enabled` only when given, and not to a job Sundial itself finished (end or limit reached).
   */
  private jobPatch(input: JobInput, current: Job): JobPatch {
    const { schedule, enabled, ...patch } = input;
    const checked = validateSchedule(schedule ?? { scheduleKind: 'MANUAL' }, new Date(0));
    const stored = checked.ok ? toJobFields({ ...checked.schedule, runCount: current.runCount }) : null;
    const sameSchedule = stored !== null && Object.entries(stored).every(([field, value]) => canonical(value) === canonical(current[field as keyof Job]));
    return {
      ...patch,
      ...(sameSchedule ? {} : { schedule }),
      ...(enabled !== undefined && !(sameSchedule && current.disabledReason) ? { enabled } : {}),
    };
  }

  async prune(): Promise<void> {
    const declared = this.document.jobs.map((job) => job.key.trim());
    const stale = await this.tx.job.findMany({
      where: { key: { not: null, notIn: declared }, NOT: { key: { startsWith: BUILT_IN_KEY_PREFIX } } },
      select: { id: true, key: true },
      orderBy: { key: 'asc' },
    });
    for (const job of stale) {
      if (this.invalid.jobs.has(job.key!)) continue;
      await this.jobService.delete(job.id);
      this.changedJobs.set(job.id, 'deleted');
      this.summary.jobs.deleted.push(job.key!);
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

  /**
   * One entry in its own savepoint: created, or updated and compared (an update that changed nothing is rolled
   * back and reported unchanged, so a restart with the same file touches nothing). A problem rolls back just the
   * entry and is recorded with its path, and the next entry is tried, so one run reports every problem.
   */
  private async entry<S extends { id: string; state: string }>(
    kind: 'roles' | 'users' | 'jobs',
    index: number,
    name: string,
    snapshot: () => Promise<S | null>,
    create: () => Promise<unknown>,
    update: (id: string, current: S) => Promise<unknown>,
    forget: (id: string) => void = () => {},
  ): Promise<void> {
    await this.tx.$executeRawUnsafe('SAVEPOINT definition_entry');
    let before: S | null = null;
    try {
      before = await snapshot();
      if (!before) {
        await create();
        await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT definition_entry');
        this.summary[kind].created.push(name);
        return;
      }
      await update(before.id, before);
      const after = await snapshot();
      if (after?.state === before.state) {
        forget(before.id);
        await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT definition_entry');
        await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT definition_entry');
        this.summary[kind].unchanged.push(name);
      } else {
        await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT definition_entry');
        this.summary[kind].updated.push(name);
      }
    } catch (error) {
      if (before) forget(before.id);
      await this.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT definition_entry');
      await this.tx.$executeRawUnsafe('RELEASE SAVEPOINT definition_entry');
      this.errors.push(...entryErrors(kind, index, error));
    }
  }
}

/** The relations that hold a job's references to users and roles (targets, notification recipients). */
const REFERENCE_RELATIONS = {
  targetUsers: { select: { userId: true } },
  targetRoles: { select: { roleId: true } },
  notifyUsers: { select: { userId: true } },
  notifyRoles: { select: { roleId: true } },
} as const satisfies Record<JobReference['relation'], unknown>;
type JobWithReferences = Prisma.JobGetPayload<{ include: typeof REFERENCE_RELATIONS }>;

/** A stored job's references as JobInput's id lists (targetUserIds, notifyRoleIds, …), sorted. */
function referenceIds(job: JobWithReferences): Partial<JobInput> {
  return Object.fromEntries(
    Object.entries(JOB_REFERENCES).map(([field, ref]) => [
      field,
      (job[ref.relation] as ({ userId: string } | { roleId: string })[]).map((row) => ('userId' in row ? row.userId : row.roleId)).sort(),
    ]),
  );
}

/** What a document defines of a stored job: every column but the moving ones, and its references. */
function jobState(job: JobWithReferences): string {
  const columns = Object.entries(job).filter(([column]) => !VOLATILE_JOB_COLUMNS.has(column) && !(column in REFERENCE_RELATIONS));
  return canonical({ ...Object.fromEntries(columns), ...referenceIds(job) });
}

function entryErrors(kind: 'roles' | 'users' | 'jobs', index: number, error: unknown): FieldError[] {
  const at = formatPath([kind, index]);
  if (error instanceof ValidationError) {
    return error.errors.map((fieldError) => ({ field: fieldError.field ? `${at}.${fileField(kind, fieldError.field)}` : at, message: fieldError.message }));
  }
  if (error instanceof ConflictError || error instanceof NotFoundError) return [{ field: at, message: error.message }];
  // Another process created the same thing between our check and our write (the lock covers applies, not the app).
  if ((error as { code?: unknown }).code === 'P2002') return [{ field: at, message: 'was created by someone else meanwhile; apply again' }];
  throw error;
}
