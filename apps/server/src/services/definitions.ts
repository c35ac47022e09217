// Jobs as code: a definitions document (roles, users, jobs; services/definitions/format.ts) applied to an install
// by stable keys, and an install's jobs exported as one. The rules of each thing stay with its service: applying
// runs RoleService, UserService and JobService inside ONE transaction, entry by entry, collecting every problem
// (definitions/apply-run.ts); any problem (or a dry run) rolls the whole transaction back, so a document is applied
// whole or not at all, and a dry run answers exactly what applying would. Timers and subscribers hear of changed
// jobs only after the commit.
import { lockDefinitionsApply } from '../db/sql/definitions/apply-lock.js';
import { prismaSql } from '../db/sql/client.js';
import type { PrismaClient } from '../db/prisma.js';
import { AfterCommit } from './db-client.js';
import { ValidationError, type FieldError } from './errors.js';
import { ApplyRun, type DefinitionsSummary, type KindChanges } from './definitions/apply-run.js';
import {
  DOCUMENT_VERSION,
  JOB_REFERENCES,
  parseDefinitions,
  readDocument,
  type DefinitionsDocument,
  type DefinitionsFormat,
} from './definitions/format.js';
import { recordDefinitionsApply, type DefinitionsActor } from './definitions/audit.js';
import { applyFollowUps, followUpClosure, followUpDefinitions } from './definitions/follow-ups.js';
import { JOB_INCLUDE, referenceIds, toJobDefinition, uniqueKey } from './definitions/stored.js';
import { jobToInput, type JobInput, type JobService } from './jobs.js';
import type { RoleService } from './roles.js';
import type { UserService } from './users.js';
import type { WebhookService } from './webhooks/hooks.js';
import type { CalendarService } from './calendars.js';
import { storedEntries } from './schedule.js';

export { DOCUMENT_VERSION, formatFromName, parseDefinitions, stringifyDefinitions } from './definitions/format.js';
export type { DefinitionsDocument, DefinitionsFormat } from './definitions/format.js';
export type { DefinitionsSummary, KindChanges } from './definitions/apply-run.js';
export { localActor, type DefinitionsActor } from './definitions/audit.js';

export interface DefinitionsDeps {
  /** The app's client: an apply opens its own transaction on it. */
  db: PrismaClient;
  jobs: JobService;
  users: UserService;
  roles: RoleService;
  webhooks: WebhookService;
  calendars: CalendarService;
}

export interface ApplyOptions {
  /** Check and report what would change; change nothing. */
  dryRun?: boolean;
  /** Delete jobs that have a key but are not in the document (never `sundial.*` built-ins, never jobs without a key). */
  prune?: boolean;
  /** Who applies it outside the API (the CLI, the configuration): the apply is audited (not a dry run). */
  actor?: DefinitionsActor;
}

export interface ExportResult {
  document: DefinitionsDocument;
  /** Jobs made in the app have no key; the document gives them one from their name (the job itself is not changed). */
  generatedKeys: { name: string; key: string }[];
}

class Rollback extends Error {}

const KIND_ORDER = ['calendars', 'roles', 'users', 'jobs'];

/** Problems as a reader meets them in the file: the document's own first, then entry by entry (shape or rules). */
function inDocumentOrder(errors: FieldError[]): FieldError[] {
  const position = (field: string): [number, number] => {
    const entry = /^(calendars|roles|users|jobs)\[(\d+)\]/.exec(field);
    return entry ? [KIND_ORDER.indexOf(entry[1]!) + 1, Number(entry[2])] : [0, 0];
  };
  return errors
    .map((error) => ({ error, at: position(error.field) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1])
    .map(({ error }) => error);
}

function emptyChanges(): KindChanges {
  return { created: [], updated: [], unchanged: [], deleted: [] };
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
  async applyText(source: string, format: DefinitionsFormat, options: ApplyOptions = {}): Promise<DefinitionsSummary> {
    const parsed = parseDefinitions(source, format);
    if ('error' in parsed) {
      const problems = [{ field: '', message: parsed.error }];
      if (options.actor && !options.dryRun) await recordDefinitionsApply(this.deps.db, options.actor, { prune: options.prune ?? false }, { problems });
      throw new ValidationError(problems);
    }
    return this.apply(parsed.raw, options);
  }

  /**
   * Upserts the document's roles (by name), users (by e-mail) and jobs (by key); what it does not name is left
   * alone (unless `prune`). Throws a ValidationError listing every problem, and then nothing has changed.
   * With an `actor`, the outcome is recorded in the audit log (definitions/audit.ts).
   */
  async apply(raw: unknown, options: ApplyOptions = {}): Promise<DefinitionsSummary> {
    const { actor } = options;
    if (!actor || options.dryRun) return this.applyDocument(raw, options);
    const prune = options.prune ?? false;
    let summary: DefinitionsSummary;
    try {
      summary = await this.applyDocument(raw, options);
    } catch (error) {
      if (error instanceof ValidationError) await recordDefinitionsApply(this.deps.db, actor, { prune }, { problems: error.errors });
      throw error;
    }
    await recordDefinitionsApply(this.deps.db, actor, { prune }, { summary });
    return summary;
  }

  private async applyDocument(raw: unknown, options: ApplyOptions): Promise<DefinitionsSummary> {
    const { document, errors, invalid } = readDocument(raw, (name) => this.deps.jobs.unknownAction(name));
    const summary: DefinitionsSummary = { dryRun: options.dryRun ?? false, calendars: emptyChanges(), roles: emptyChanges(), users: emptyChanges(), jobs: emptyChanges(), paused: [] };
    const afterCommit = new AfterCommit();
    try {
      await this.deps.db.$transaction(
        async (tx) => {
          await lockDefinitionsApply(prismaSql(tx));
          const services = {
            roles: this.deps.roles.within(tx),
            users: this.deps.users.within(tx),
            jobs: this.deps.jobs.within(tx, afterCommit),
            webhooks: this.deps.webhooks.within(tx),
            calendars: this.deps.calendars.within(tx, afterCommit),
          };
          const run = new ApplyRun(tx, services, afterCommit, document, invalid, errors, summary);
          await run.calendars();
          await run.roles();
          await run.users();
          await run.jobs();
          for (const key of await applyFollowUps(tx, prismaSql(tx), services.jobs, document, invalid.jobs, errors)) {
            const unchanged = summary.jobs.unchanged.indexOf(key);
            if (unchanged >= 0) {
              summary.jobs.unchanged.splice(unchanged, 1);
              summary.jobs.updated.push(key);
            }
          }
          if (options.prune) await run.prune();
          if (errors.length > 0 || options.dryRun) throw new Rollback();
        },
        // A large document on the embedded database takes a while; the default 5 s would cut it off half-way.
        { maxWait: 30_000, timeout: 300_000 },
      );
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    if (errors.length > 0) throw new ValidationError(inDocumentOrder(errors));
    if (!options.dryRun) await afterCommit.run();
    return summary;
  }

  /**
   * The install's jobs (or those with the given keys) as a document, with the users and roles they refer to.
   * `userAttributes: false` leaves users' attributes out, for callers who may read jobs but not manage users.
   */
  async export(options: { jobKeys?: string[]; userAttributes?: boolean } = {}): Promise<ExportResult> {
    const prisma = this.deps.db;
    const keys = options.jobKeys?.map((key) => key.trim()).filter(Boolean);
    const chosen = await prisma.job.findMany({ where: keys?.length ? { key: { in: keys } } : {}, select: { id: true, key: true } });
    if (keys?.length) {
      const found = new Set(chosen.map((job) => job.key));
      const missing = keys.filter((key) => !found.has(key));
      if (missing.length > 0) throw new ValidationError([{ field: 'jobKeys', message: `no job with key ${missing.map((key) => `"${key}"`).join(', ')}` }]);
    }
    // The jobs the chosen ones start come along, so the document's follow-ups name jobs it holds.
    const jobIds = [...chosen.map((job) => job.id), ...(await followUpClosure(prisma, chosen.map((job) => job.id)))];
    const jobs = await prisma.job.findMany({
      where: keys?.length ? { id: { in: jobIds } } : {},
      include: JOB_INCLUDE,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });

    const inputs = jobs.map((job) => ({
      job,
      input: { ...jobToInput(job, job.schedules), ...referenceIds(job) } satisfies JobInput,
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
    const keyOfJob = new Map<string, string>();
    for (const { job } of inputs) {
      let key = job.key;
      if (!key) {
        key = uniqueKey(job.name, taken);
        generatedKeys.push({ name: job.name, key });
      }
      keyOfJob.set(job.id, key);
    }
    const followUps = await followUpDefinitions(prisma, [...keyOfJob.keys()], (id) => keyOfJob.get(id) ?? id);
    // The calendars the jobs attach, and every blackout for all jobs (it judges their slots too).
    const calendarIds = [...new Set(jobs.flatMap((job) => job.calendars.map((attached) => attached.calendarId)))];
    const calendars = await prisma.calendar.findMany({ where: { OR: [{ id: { in: calendarIds } }, { blackoutForAllJobs: true }] }, orderBy: { name: 'asc' } });
    const calendarNameOf = new Map(calendars.map((calendar) => [calendar.id, calendar.name]));
    const document: DefinitionsDocument = {
      version: DOCUMENT_VERSION,
      ...(calendars.length > 0
        ? {
            calendars: calendars.map((calendar) => ({
              name: calendar.name,
              ...(calendar.description ? { description: calendar.description } : {}),
              timezone: calendar.timezone,
              ...(calendar.blackoutForAllJobs ? { blackoutForAllJobs: true } : {}),
              entries: storedEntries(calendar.entries).map(({ label, ...entry }) => ({ ...(label ? { label } : {}), ...entry })),
            })),
          }
        : {}),
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
        const definition = toJobDefinition({ ...input, key: keyOfJob.get(job.id)! }, (kind, id) => (kind === 'user' ? emailOf.get(id) : roleNameOf.get(id)) ?? id);
        const chain = followUps.get(job.id);
        const withCalendars = {
          ...definition,
          ...(job.calendars.length > 0 ? { calendars: job.calendars.map((attached) => ({ calendar: calendarNameOf.get(attached.calendarId)!, mode: attached.mode })) } : {}),
          ...(job.blackoutPolicy !== 'SKIP' ? { blackoutPolicy: job.blackoutPolicy } : {}),
        };
        const withPause = job.pausedUntil ? { ...withCalendars, pausedUntil: job.pausedUntil.toISOString() } : withCalendars;
        const withHook = job.webhook ? { ...withPause, webhook: { enabled: job.webhook.enabled } } : withPause;
        return chain ? { ...withHook, followUps: chain } : withHook;
      }),
    };
    return { document, generatedKeys };
  }
}
