// The definitions document: roles, users and jobs as a file (YAML or JSON) that moves between installs. Things
// refer to each other by what stays the same across installs (a job's key, a user's e-mail, a role's name), never
// by database ids. This module only reads and writes the document's shape; what a valid job, user or role is stays
// the services' business (JobService, UserService, RoleService), so the file can never accept what the API refuses.
import { followUpSchema, FOLLOW_UP_LIMITS, issuePath, jobInputSchema, JOB_LIMITS, jsonObject, scheduleEntrySchema, scheduleInputSchema, scheduleKinds, type JobInput } from '@sundial/job-schema';
import { parse as parseYaml, stringify as stringifyYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ALL_PERMISSIONS } from '../auth/permissions.js';
import type { FieldError } from '../errors.js';

export const DOCUMENT_VERSION = 1;
export type DefinitionsFormat = 'yaml' | 'json';

const text = (what: string) => z.string({ error: `must be ${what}` });
const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: `must be a list of ${what}` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const roleSchema = z.strictObject({
  name: text('the role name'),
  description: text('text').optional(),
  permissions: list(oneOf(ALL_PERMISSIONS), 'permissions').optional(),
});

export const userSchema = z.strictObject({
  email: text('an e-mail address'),
  name: text("the user's name"),
  attributes: jsonObject.optional(),
  /** Left out: a declared user keeps whatever the app set (deactivated stays deactivated); new users are active. */
  active: z.boolean({ error: 'must be true or false' }).optional(),
  /** Role names. Left out: a declared user keeps the roles the app gave it; new users get none. */
  roles: list(text('a role name'), 'role names').optional(),
});

/** A job's schedule in the file: the schedule's fields under the API's names (`kind`), without the run count. */
const { scheduleKind: _scheduleKind, runCount: _runCount, ...scheduleFields } = scheduleInputSchema.shape;
export const scheduleSchema = z.strictObject({
  kind: z.string({ error: `is required: one of ${scheduleKinds.join(', ')}` }),
  ...scheduleFields,
});

/** One of a job's schedules in the file: a schedule with its label, enabled flag and args; no id (its place is its identity). */
const { id: _id, scheduleKind: _entryKind, runCount: _entryRunCount, ...entryFields } = scheduleEntrySchema.shape;
export const scheduleEntryFileSchema = z.strictObject({
  kind: z.string({ error: `is required: one of ${scheduleKinds.filter((kind) => kind !== 'MANUAL').join(', ')}` }),
  ...entryFields,
});

/** JobInput's fields that hold database ids: the file names the users (e-mails) and roles (names) instead. */
export const JOB_REFERENCES = {
  targetUserIds: { field: 'targetUsers', kind: 'user', relation: 'targetUsers' },
  targetRoleIds: { field: 'targetRoles', kind: 'role', relation: 'targetRoles' },
  notifyUserIds: { field: 'notifyUsers', kind: 'user', relation: 'notifyUsers' },
  notifyRoleIds: { field: 'notifyRoles', kind: 'role', relation: 'notifyRoles' },
} as const satisfies Partial<Record<keyof JobInput, JobReference>>;

export interface JobReference {
  /** The field's name in the file. */
  field: string;
  kind: 'user' | 'role';
  /** The Job relation holding the ids (rows with userId or roleId). */
  relation: 'targetUsers' | 'targetRoles' | 'notifyUsers' | 'notifyRoles';
}
type ReferenceField = keyof typeof JOB_REFERENCES;

/** A follow-up in the file: the job it starts named by key (`job`), not by id. */
const { jobId: _jobId, ...followUpFields } = followUpSchema.shape;
export const followUpDefinitionSchema = z.strictObject({
  job: z.string({ error: 'is required: the key of the job to start' }).trim().min(1, { error: 'is required: the key of the job to start' }),
  ...followUpFields,
});
export type FollowUpDefinition = z.infer<typeof followUpDefinitionSchema>;

const nameList = (what: string, plural: string) => list(text(what), plural).optional();
const FILE_FIELDS = {
  key: z.string({ error: 'is required: the stable key that ties this entry to its job across imports' }),
  schedule: scheduleSchema.optional(),
  schedules: list(scheduleEntryFileSchema, 'schedules')
    .max(JOB_LIMITS.schedules, { error: `must hold at most ${JOB_LIMITS.schedules} schedules` })
    .optional(),
  targetUserIds: nameList("a user's e-mail", 'user e-mails'),
  targetRoleIds: nameList('a role name', 'role names'),
  notifyUserIds: nameList("a user's e-mail", 'user e-mails'),
  notifyRoleIds: nameList('a role name', 'role names'),
  followUps: list(followUpDefinitionSchema, 'follow-ups {job, on, args}')
    .max(FOLLOW_UP_LIMITS.followUps, { error: `must have at most ${FOLLOW_UP_LIMITS.followUps} follow-ups` })
    .optional(),
} as const;
type JobShape = typeof jobInputSchema.shape;
type FileShape = {
  [K in keyof JobShape as K extends ReferenceField ? (typeof JOB_REFERENCES)[K]['field'] : K]: K extends keyof typeof FILE_FIELDS
    ? (typeof FILE_FIELDS)[K]
    : JobShape[K];
};

/**
 * A job in the file: the job schema (@sundial/job-schema) field for field and in its order, so the file can hold
 * neither more nor less than the API; the key required, the schedule with `kind`, and ids replaced by e-mails and
 * role names under the reference fields' own names.
 */
export const jobSchema = z
  .strictObject(
    Object.fromEntries(
      Object.entries(jobInputSchema.shape).map(([field, schema]): [string, z.ZodType] => [
        JOB_REFERENCES[field as ReferenceField]?.field ?? field,
        FILE_FIELDS[field as keyof typeof FILE_FIELDS] ?? schema,
      ]),
    ) as FileShape,
  )
  .extend({
    /** The calendars the job attaches, by name (declared under calendars: or existing). Left out: left as they are. */
    calendars: list(
      z.strictObject({
        calendar: z.string({ error: 'is required: the name of the calendar' }).trim().min(1, { error: 'is required: the name of the calendar' }),
        mode: oneOf(['ONLY_INSIDE', 'NEVER_INSIDE'] as const),
      }),
      'calendars {calendar, mode}',
    ).optional(),
    /** What a slot its calendars rule out becomes. Left out: left as it is (SKIP for a new job). */
    blackoutPolicy: oneOf(['SKIP', 'MOVE'] as const).optional(),
    /**
     * Paused until then (the pauseJobUntil mutation's pause): the job is disabled and re-enabled at this time. A time
     * with its offset (`2026-12-24T18:00:00+01:00` or `…Z`), in the future. Left out: left as it is.
     */
    pausedUntil: z.iso
      .datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-12-24T18:00:00+01:00 or 2026-12-24T17:00:00Z' })
      .optional(),
    /** Whether the job's inbound webhook is on; its secret never appears in a document. Left out: left as it is. */
    webhook: z.strictObject({ enabled: z.boolean({ error: 'must be true or false' }) }, { error: 'must be a mapping with enabled: true or false' }).optional(),
  });

/** A calendar in the file: matched by name; its entries as the API takes them. */
export const calendarSchema = z.strictObject({
  name: text('the calendar name'),
  description: text('text').optional(),
  timezone: text('an IANA timezone, e.g. Europe/Berlin').optional(),
  blackoutForAllJobs: z.boolean({ error: 'must be true or false' }).optional(),
  entries: list(
    z.strictObject({
      kind: text('DATE_RANGE, WEEKLY or YEARLY'),
      label: text('text').optional(),
      from: text('a date, YYYY-MM-DD').optional(),
      to: text('a date, YYYY-MM-DD').optional(),
      days: list(text('a day: MON … SUN'), 'days').optional(),
      startTime: text('a local time, HH:MM').optional(),
      endTime: text('a local time, HH:MM').optional(),
      month: z.number({ error: 'must be a number, 1–12' }).optional(),
      day: z.number({ error: 'must be a number, a day of the month' }).optional(),
    }),
    'entries',
  ),
});

export type CalendarDefinition = z.infer<typeof calendarSchema>;
export type RoleDefinition = z.infer<typeof roleSchema>;
export type UserDefinition = z.infer<typeof userSchema>;
export type JobDefinition = z.infer<typeof jobSchema>;
export type ScheduleDefinition = z.infer<typeof scheduleSchema>;
export type ScheduleEntryDefinition = z.infer<typeof scheduleEntryFileSchema>;

export interface DefinitionsDocument {
  version: typeof DOCUMENT_VERSION;
  /** Calendars jobs attach (by name); left out of an export that has none. */
  calendars?: CalendarDefinition[];
  roles: RoleDefinition[];
  users: UserDefinition[];
  jobs: JobDefinition[];
}

const KINDS = { calendars: calendarSchema, roles: roleSchema, users: userSchema, jobs: jobSchema } as const;
export type DefinitionKind = keyof typeof KINDS;

/** `jobs[2].schedule.cron`: the path a person finds the problem at. */
export const formatPath = issuePath;

function issuesToErrors(error: z.ZodError, at: readonly PropertyKey[], allowed: readonly string[]): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // Only the top of an entry lists what it allows: nested objects (schedule) say which key is unknown.
      const known = issue.path.length === 0 ? `; allowed: ${allowed.join(', ')}` : '';
      return issue.keys.map((key) => ({ field: formatPath([...at, ...issue.path, key]), message: `unknown field${known}` }));
    }
    return [{ field: formatPath([...at, ...issue.path]), message: issue.message }];
  });
}

/**
 * Reads a document (already parsed from YAML/JSON) entry by entry, so one bad entry does not hide the problems of
 * the others: `document` holds the entries that have the right shape, `errors` every shape problem with its path.
 * `invalid` names the entries left out (their names, when readable), so references to them are not reported twice.
 * `unknownAction` judges the action of a job entry left out for its shape, so that entry's problems are all listed
 * at once (the rules of an entry with the right shape are judged by JobService).
 */
export function readDocument(
  raw: unknown,
  unknownAction: (name: string) => string | null = () => null,
): {
  errors: FieldError[];
  document: DefinitionsDocument & { calendars: CalendarDefinition[] };
  invalid: { calendars: Set<string>; roles: Set<string>; users: Set<string>; jobs: Set<string> };
} {
  const document: DefinitionsDocument & { calendars: CalendarDefinition[] } = { version: DOCUMENT_VERSION, calendars: [], roles: [], users: [], jobs: [] };
  const errors: FieldError[] = [];
  const invalid = { calendars: new Set<string>(), roles: new Set<string>(), users: new Set<string>(), jobs: new Set<string>() };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ field: '', message: 'the document must be a mapping with version, roles, users and jobs' });
    return { document, errors, invalid };
  }
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!['version', 'calendars', 'roles', 'users', 'jobs'].includes(key)) {
      errors.push({ field: key, message: 'unknown section; a definitions document has: version, calendars, roles, users, jobs' });
    }
  }
  if (top.version !== undefined && top.version !== DOCUMENT_VERSION) {
    errors.push({ field: 'version', message: `must be ${DOCUMENT_VERSION} (the only format version this Sundial reads)` });
  }
  const identity = { calendars: 'name', roles: 'name', users: 'email', jobs: 'key' } as const;
  for (const kind of Object.keys(KINDS) as DefinitionKind[]) {
    const entries = top[kind] ?? [];
    if (!Array.isArray(entries)) {
      errors.push({ field: kind, message: `must be a list of ${kind}` });
      continue;
    }
    const schema = KINDS[kind];
    const allowed = Object.keys(schema.shape);
    const seen = new Map<string, number>();
    entries.forEach((entry: unknown, index) => {
      const idValue = (entry as Record<string, unknown> | null)?.[identity[kind]];
      const id = typeof idValue === 'string' ? normalizeId(kind, idValue) : null;
      const result = schema.safeParse(entry);
      if (!result.success) {
        const shape = issuesToErrors(result.error, [kind, index], allowed);
        const actionField = formatPath([kind, index, 'action']);
        const action = kind === 'jobs' ? (entry as Record<string, unknown>).action : undefined;
        const actionProblem = typeof action === 'string' && !shape.some((error) => error.field === actionField) ? unknownAction(action) : null;
        if (actionProblem) errors.push({ field: actionField, message: actionProblem });
        errors.push(...shape);
        if (id) invalid[kind].add(id);
        return;
      }
      if (id === null || id === '') {
        errors.push({ field: formatPath([kind, index, identity[kind]]), message: 'is required' });
        return;
      }
      const first = seen.get(id);
      if (first !== undefined) {
        errors.push({
          field: formatPath([kind, index, identity[kind]]),
          message: `"${id}" is declared twice (also at ${formatPath([kind, first])}); each ${identity[kind]} may appear once`,
        });
        return;
      }
      seen.set(id, index);
      (document[kind] as unknown[]).push(result.data);
    });
  }
  return { document, errors, invalid };
}

/** E-mails compare without case (UserService stores them lower-cased); keys and role names as written, trimmed. */
export function normalizeId(kind: DefinitionKind, value: string): string {
  return kind === 'users' ? value.trim().toLowerCase() : value.trim();
}

/** Text → raw document. YAML is a superset of JSON, but JSON is parsed as JSON so its errors read as JSON's. */
export function parseDefinitions(source: string, format: DefinitionsFormat): { raw: unknown } | { error: string } {
  try {
    if (format === 'json') return { raw: JSON.parse(source) as unknown };
    return { raw: parseYaml(source, { prettyErrors: true }) as unknown };
  } catch (error) {
    if (error instanceof YAMLParseError) return { error: `not valid YAML: ${error.message.split('\n')[0]}` };
    if (error instanceof SyntaxError) return { error: `not valid JSON: ${error.message}` };
    throw error;
  }
}

export function formatFromName(fileName: string): DefinitionsFormat {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

export function stringifyDefinitions(document: DefinitionsDocument, format: DefinitionsFormat): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  // Long strings (descriptions, templates) stay on one line: a folded line would read differently in a diff.
  return stringifyYaml(document, { lineWidth: 0 });
}
