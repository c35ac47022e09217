import { Cron, type CronOptions } from 'croner';

/**
 * Cron expressions: checking what a user typed, and the one place that builds croner instances, so every caller
 * reads an expression the same way.
 *
 * - mode '5-or-6-parts': five fields, or six with seconds first; croner's seven-field (year) form is refused.
 * - fixedTimeRule 'no-wildcard': an expression without '*' or a step in its second, minute and hour fields
 *   ("30 2 * * *", "30 2,14 * * *") is a fixed-time job — at a DST fall-back it fires once, at the first of the
 *   two 02:30s; in a spring-forward gap it fires at the first valid time after the gap. Expressions with a
 *   wildcard or step ("0 * * * *", "*\/15 * * * *") follow real time instead: they skip the slots in a gap and
 *   fire on both passes through a repeated hour. Croner's default ('single-value') would also treat lists and
 *   ranges such as "30 2,14 * * *" as interval jobs and fire 02:30 twice at fall-back, which surprises users.
 * - domAndDow false: day-of-month OR day-of-week, as Vixie cron (and cronstrue's descriptions) read them.
 */
export const cronOptions = {
  mode: '5-or-6-parts',
  fixedTimeRule: 'no-wildcard',
  domAndDow: false,
} as const satisfies CronOptions;

/** A croner instance for computing times only: without a callback croner starts no timer. */
export function cronFor(expression: string, timezone: string): Cron {
  return new Cron(expression, { ...cronOptions, timezone });
}

const fieldNames5 = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const fieldNames6 = ['second', ...fieldNames5] as const;
type CronFieldName = (typeof fieldNames6)[number];

const allowedValues: Record<CronFieldName, string> = {
  second: 'seconds are 0-59',
  minute: 'minutes are 0-59',
  hour: 'hours are 0-23',
  'day-of-month': 'days of the month are 1-31, L (the last day) or nW (the weekday nearest day n)',
  month: 'months are 1-12 or JAN-DEC',
  'day-of-week': 'days of the week are 0-7 (0 and 7 are Sunday) or SUN-SAT, also nL (the last one) and n#k (the k-th)',
};

const fieldForms = "each field takes *, a value, a list (1,15), a range (1-5) or a step (*/15, 0-30/10)";

const nicknames: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export const cronExample = "'0 9 * * 1-5' (09:00, Monday to Friday)";

/** Fields separated by single spaces, so the stored expression and its description are stable. */
export function normalizeCron(expression: string): string {
  return expression.trim().split(/\s+/).join(' ');
}

/** Why an expression is not a valid 5- or 6-field cron expression: one message per problem; [] when it is valid. */
export function cronProblems(expression: string): string[] {
  const normalized = normalizeCron(expression);
  if (normalized === '') return [`A CRON schedule needs a cron expression, e.g. ${cronExample}.`];
  const nickname = nicknames[normalized.toLowerCase()];
  if (nickname !== undefined) {
    return [`Write '${normalized}' as the five fields '${nickname}': nicknames are not supported.`];
  }
  if (normalized.startsWith('@')) {
    return [`'${normalized}' is not a cron expression: write five fields (minute hour day-of-month month day-of-week) or six (second first), e.g. ${cronExample}.`];
  }
  const fields = normalized.split(' ');
  if (fields.length !== 5 && fields.length !== 6) {
    return [
      `A cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 (second first); '${normalized}' has ${fields.length}.`,
    ];
  }
  const names = fields.length === 6 ? fieldNames6 : fieldNames5;
  // Parse each field alone, the others '*', so the message can quote the part that is wrong.
  const problems: string[] = [];
  fields.forEach((field, index) => {
    const alone = fields.map((other, i) => (i === index ? other : '*')).join(' ');
    if (parseError(alone) === null) return;
    const name = names[index] ?? 'field';
    problems.push(`The ${name} field '${field}' in '${normalized}' is not valid: ${allowedValues[name as CronFieldName]}; ${fieldForms}.`);
  });
  if (problems.length > 0) return problems;
  const whole = parseError(normalized);
  return whole === null ? [] : [`'${normalized}' is not a valid cron expression: ${whole}`];
}

function parseError(expression: string): string | null {
  try {
    new Cron(expression, cronOptions);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
  }
}
