// What a job is made of, written once: the fields a job input may carry, their types and their value rules (lengths,
// ranges, patterns), each failure worded as "what is wrong and what is allowed". The server's JobService validates
// with it, its GraphQL input and the definitions file (YAML/JSON) are derived from it, and the web form checks the
// same rules before sending. Rules that need more than the value stay with the server: that the action exists and
// its args fit its schema, that users and roles exist, the schedule's rules (services/schedule/validate.ts, the one
// place for them) and the notification settings' (services/notifications/settings.ts). Kept free of anything
// server-side so the browser bundle can import it.
import { z } from 'zod';
import { followUpsSchema } from './follow-ups.js';

export * from './follow-ups.js';

/** The values of the database's enums (prisma/schema.prisma); the server checks at compile time that they match. */
export const scheduleKinds = ['MANUAL', 'CRON', 'INTERVAL', 'ONCE'] as const;
export const overlapPolicies = ['SKIP', 'QUEUE', 'ALLOW'] as const;
export const misfirePolicies = ['CATCH_UP_ONCE', 'SKIP'] as const;

export const JOB_LIMITS = {
  name: 200,
  description: 5000,
  key: 100,
  queue: 64,
  retries: { min: 0, max: 100 },
  retryBackoffMs: { min: 0, max: 24 * 3600 * 1000 },
  timeoutMs: { min: 100, max: 7 * 24 * 3600 * 1000 },
  priority: { min: -100, max: 100 },
  concurrency: { min: 1, max: 1000 },
  schedules: 20,
  scheduleLabel: 100,
} as const;

/** A name of letters, digits, dots, dashes and underscores (keys, queues). */
const identifier = (max: number) => new RegExp(`^[a-z0-9][a-z0-9._-]{0,${max - 1}}$`, 'i');
const identifierMessage = (max: number) => `must be 1–${max} letters, digits, dots, dashes or underscores`;

/** Text; `what` says what kind when it is not text. Missing and blank both read "is required" when required. */
function text(what: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be text (${what})`) });
}

/** A queue's name (a job's queue, a worker's jobs.queues): letters, digits, dots, dashes and underscores. */
export const queueName = text('a queue name')
  .trim()
  .regex(identifier(JOB_LIMITS.queue), { error: identifierMessage(JOB_LIMITS.queue) });

function wholeNumber({ min, max }: { min: number; max: number }) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

function oneOf<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: `must be a list of ${what}` });
const yesNo = z.boolean({ error: 'must be true or false' });
const instant = z.union([z.date(), z.string()], { error: 'must be an ISO 8601 date-time with an offset, e.g. 2030-01-01T09:00:00Z' });
const count = z.number({ error: 'must be a whole number' });

/** A JSON object (args, attributes): what an action's args schema then judges field by field. */
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object, e.g. {"message": "hello"}' });

/**
 * A schedule's fields with their types only: what each value may be is the schedule's own rule
 * (services/schedule/validate.ts), which reports every problem naming its field.
 */
export const scheduleInputSchema = z.strictObject({
  scheduleKind: z.string({ error: `must be one of ${scheduleKinds.join(', ')}` }).nullish(),
  cron: text('a cron expression such as "0 9 * * 1-5"').nullish(),
  timezone: text('an IANA timezone name such as Europe/Madrid').nullish(),
  intervalSeconds: count.nullish(),
  runAt: instant.nullish(),
  startAt: instant.nullish(),
  endAt: instant.nullish(),
  runLimit: count.nullish(),
  /** Scheduled occurrences so far (from the stored job), not something a user types. */
  runCount: count.nullish(),
});

/**
 * One of a job's schedules: its timing (as scheduleInputSchema) plus what is its own — an id when it is one the job
 * has already (its run count is kept while its timing stays the same), a label, an enabled flag and args that
 * override the job's key by key for the runs it makes.
 */
export const scheduleEntrySchema = scheduleInputSchema.extend({
  id: z.string({ error: "must be the id of one of this job's schedules" }).nullish(),
  label: text('a label such as "Nightly"')
    .trim()
    .max(JOB_LIMITS.scheduleLabel, { error: `must be at most ${JOB_LIMITS.scheduleLabel} characters` })
    .nullish(),
  enabled: yesNo.nullish(),
  args: jsonObject.nullish().describe("Overrides the job's args key by key for this schedule's runs; validated with them."),
});

/**
 * A job as the services take it. Creating needs name and action; `null` for retries, retryBackoffMs, timeoutMs and
 * concurrency means the action's default. Id lists name users and roles by id (the definitions file by e-mail and
 * role name: see the server's services/definitions/format.ts).
 */
export const jobInputSchema = z.object({
  key: z
    .string({ error: identifierMessage(JOB_LIMITS.key) })
    .regex(identifier(JOB_LIMITS.key), { error: identifierMessage(JOB_LIMITS.key) })
    .nullish()
    .describe('Stable key for jobs declared as code.'),
  name: text("the job's name")
    .trim()
    .min(1, { error: 'is required' })
    .max(JOB_LIMITS.name, { error: `must be at most ${JOB_LIMITS.name} characters` }),
  description: text('the description')
    .trim()
    .max(JOB_LIMITS.description, { error: `must be at most ${JOB_LIMITS.description} characters` })
    .optional(),
  action: text("an action's name").min(1, { error: 'is required' }),
  args: jsonObject.optional().describe("A JSON object, validated against the action's schema."),
  enabled: yesNo.optional(),
  perUser: yesNo.optional(),
  targetUserIds: list(z.string({ error: 'must be a user id' }), 'user ids').optional(),
  targetRoleIds: list(z.string({ error: 'must be a role id' }), 'role ids').optional(),
  /** One schedule (the form `dispatch` and older definitions files use); give it or `schedules`, not both. */
  schedule: scheduleInputSchema.optional(),
  schedules: list(scheduleEntrySchema, 'schedules')
    .max(JOB_LIMITS.schedules, { error: `must hold at most ${JOB_LIMITS.schedules} schedules` })
    .optional()
    .describe('When the job runs on its own: any number of schedules (empty: manual only); its next run is the earliest.'),
  retries: wholeNumber(JOB_LIMITS.retries).nullish(),
  retryBackoffMs: wholeNumber(JOB_LIMITS.retryBackoffMs).nullish(),
  timeoutMs: wholeNumber(JOB_LIMITS.timeoutMs).nullish(),
  queue: queueName.optional(),
  priority: wholeNumber(JOB_LIMITS.priority).optional(),
  concurrency: wholeNumber(JOB_LIMITS.concurrency).nullish(),
  overlapPolicy: oneOf(overlapPolicies).optional(),
  misfirePolicy: oneOf(misfirePolicies).optional(),
  /** The outcomes' names, the addresses and the URLs are judged by the notification settings' rules. */
  notifyOn: list(z.string({ error: 'must be a run outcome' }), 'run outcomes').optional(),
  notifyEmails: list(z.string({ error: 'must be an e-mail address' }), 'e-mail addresses').optional(),
  notifyUserIds: list(z.string({ error: 'must be a user id' }), 'user ids').optional(),
  notifyRoleIds: list(z.string({ error: 'must be a role id' }), 'role ids').optional(),
  notifyWebhooks: list(z.string({ error: 'must be a webhook URL' }), 'webhook URLs').optional(),
  /** Jobs to start when a run of this one ends (chains); left out: unchanged. */
  followUps: followUpsSchema.optional(),
});

export type JobInput = z.input<typeof jobInputSchema>;
export type CheckedJobInput = z.output<typeof jobInputSchema>;
export type ScheduleFieldsInput = z.input<typeof scheduleInputSchema>;
export type ScheduleEntryInput = z.input<typeof scheduleEntrySchema>;
export type JobField = keyof typeof jobInputSchema.shape;

/** The fields where an explicit null means something (no key; the action's default), unlike "not given". */
export const nullableJobFields = (Object.keys(jobInputSchema.shape) as JobField[]).filter(
  (field) => jobInputSchema.shape[field].safeParse(null).success,
);

export interface JobFieldError {
  /** Dotted path of the field, e.g. `name`, `schedule.cron`, `targetUserIds[2]`. */
  field: string;
  message: string;
}

/** `targetUserIds.2` reads as the field path people write: `targetUserIds[2]`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    '',
  );
}

/** A zod failure as field errors: unknown keys one per key ("unknown field"), everything else with its message. */
export function fieldErrors(error: z.ZodError): JobFieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: issuePath([...issue.path, key]), message: 'unknown field' }))
      : [{ field: issuePath(issue.path), message: issue.message }],
  );
}

/**
 * Checks some fields of a job input against their rules (the web form checks what it shows before sending).
 * Only the fields given are judged; the result names each problem's field.
 */
export function checkJobFields(input: Partial<Record<JobField, unknown>>): JobFieldError[] {
  const fields = Object.keys(input).filter((field): field is JobField => field in jobInputSchema.shape);
  const mask = Object.fromEntries(fields.map((field) => [field, true])) as Partial<Record<JobField, true>>;
  const result = jobInputSchema.pick(mask).safeParse(input);
  return result.success ? [] : fieldErrors(result.error);
}
