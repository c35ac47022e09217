// The DateTime scalar, and what happens to a DateTime input it cannot read. graphql-scalars' DateTimeResolver takes
// RFC 3339 date-times with an offset; anything else it refuses while coercing variables, with a bare scalar error
// ("DateTime cannot represent an invalid date-time-string …") that names neither the field nor the fix, before the
// mutation can answer its documented ValidationError. Here a string or a number it refuses becomes an
// UnreadableDateTime (an invalid Date carrying why), and a Pothos plugin wrapped inside the errors plugin turns every
// one in a field's arguments into a ValidationError naming its field (`startAt`, `schedules[0].endAt`) and saying
// what to send, before the resolver runs. Objects, booleans and lists stay refused by the scalar.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ValidationError, type FieldError } from '../services/errors.js';
import { graphql } from './plugins/graphql-runtime.js';

/** A DateTime input that could not be read: an invalid Date, so nothing can use it by mistake as an instant. */
export class UnreadableDateTime extends Date {
  constructor(readonly problem: string) {
    super(Number.NaN);
  }
}

/** A local date-time without an offset: 2026-12-24T10:00, 2026-12-24 10:00:00.5 */
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

const EXAMPLE = 'e.g. "2026-12-24T10:00:00+01:00" or "2026-12-24T10:00:00Z" (UTC)';

/** What is wrong with a string or number the scalar refused, and what to send instead (after the field's name). */
export function dateTimeProblem(value: string | number): string {
  if (typeof value === 'number') {
    const instant = new Date(value);
    const asIso = Number.isNaN(instant.getTime()) ? '' : ` (${value} as epoch milliseconds is "${instant.toISOString()}")`;
    return `must be an ISO 8601 date-time with an offset, not a number${asIso}: ${EXAMPLE}`;
  }
  const local = LOCAL_DATE_TIME.exec(value.trim());
  if (local) {
    const written = `${local[1]}T${local[2]}`;
    return `needs an offset: ${JSON.stringify(value)} has none; an offset is required, e.g. "${written}+01:00" or "${written}Z" (UTC)`;
  }
  return `must be an ISO 8601 date-time with an offset, ${EXAMPLE}; got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
}

function readOrMark(read: () => Date, raw: unknown): Date {
  try {
    return read();
  } catch (error) {
    if (typeof raw === 'string' || typeof raw === 'number') return new UnreadableDateTime(dateTimeProblem(raw));
    throw error;
  }
}

/** DateTimeResolver, with the strings and numbers it refuses kept as UnreadableDateTime. */
export const DateTimeScalar = new graphql.GraphQLScalarType<Date, Date>({
  name: DateTimeResolver.name,
  description: DateTimeResolver.description,
  specifiedByURL: DateTimeResolver.specifiedByURL,
  serialize: (value) => DateTimeResolver.serialize(value),
  parseValue: (value) => readOrMark(() => DateTimeResolver.parseValue(value), value),
  parseLiteral: (node, variables) => {
    const raw = node.kind === graphql.Kind.STRING ? node.value : node.kind === graphql.Kind.INT || node.kind === graphql.Kind.FLOAT ? Number(node.value) : undefined;
    return readOrMark(() => DateTimeResolver.parseLiteral(node, variables), raw);
  },
});

/** `schedules[0].startAt` → `startAt` */
const leafName = (path: string) => path.replace(/\[\d+\]$/, '').split('.').pop() ?? path;

/** Every UnreadableDateTime in a field's arguments, named as the field errors of its input (`input.` left out). */
export function unreadableDateTimes(args: Record<string, unknown>): FieldError[] {
  const found: FieldError[] = [];
  const visit = (value: unknown, path: string) => {
    if (value instanceof UnreadableDateTime) found.push({ field: path, message: `${leafName(path)} ${value.problem}` });
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`));
    else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) visit(item, path === '' ? key : `${path}.${key}`);
    }
  };
  for (const [name, value] of Object.entries(args)) visit(value, name === 'input' ? '' : name);
  return found;
}

/** Refuses a field's unreadable DateTime arguments with a ValidationError, inside the errors plugin. */
export class DateTimeInputsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      const problems = unreadableDateTimes(args as Record<string, unknown>);
      if (problems.length > 0) throw new ValidationError(problems);
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos finds plugins by name in this global namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      sundialDateTimeInputs: DateTimeInputsPlugin<Types>;
    }
  }
}

/** The plugin's name, for the builder's list of plugins. */
export const DATE_TIME_INPUTS_PLUGIN = 'sundialDateTimeInputs' as const;
SchemaBuilder.registerPlugin(DATE_TIME_INPUTS_PLUGIN, DateTimeInputsPlugin);
