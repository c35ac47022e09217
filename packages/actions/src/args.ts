// Args in and out of an action: the JSON Schema that describes them (API, admin form) and the validation that
// turns a job's JSON into the typed args an action runs with, or into errors that name the field.
import type { z } from 'zod';
import type { ActionDefinition, ArgsSchema } from './define.js';

/** One problem with one argument. `field` is the dotted path inside args (`message`, `items.0.name`); '' for the whole. */
export interface ArgError {
  field: string;
  message: string;
}

export type ArgsValidation<Args> = { ok: true; args: Args } | { ok: false; errors: ArgError[] };

export class ActionArgsError extends Error {
  override name = 'ActionArgsError';
  constructor(
    readonly action: string,
    readonly errors: ArgError[],
  ) {
    super(`invalid args for action "${action}": ${formatArgErrors(errors)}`);
  }
}

export function formatArgErrors(errors: readonly ArgError[]): string {
  return errors.map((error) => (error.field ? `${error.field}: ${error.message}` : error.message)).join('; ');
}

/** JSON Schema (draft 2020-12) of the args, input side: fields that have defaults are optional. A fresh copy. */
export function actionArgsJsonSchema(action: ActionDefinition): Record<string, unknown> {
  return structuredClone(action.argsJsonSchema);
}

const fieldOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** The offending value, short: a person can find it in what they sent. */
function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Validates args (JSON from a job or a run) against the action's schema and applies its defaults. `undefined`
 * means "no args" and is read as `{}`.
 */
export function validateActionArgs<A extends ArgsSchema, O>(
  action: ActionDefinition<A, O>,
  args: unknown,
): ArgsValidation<z.output<A>> {
  const input = args === undefined ? {} : args;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: 'args must be a JSON object' }] };
  }
  const result = action.args.safeParse(input, {
    // Only zod's fallback messages are replaced: a message the author wrote in the schema still wins.
    error: (issue) => {
      if (issue.code === 'invalid_type') {
        return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}; got ${describeInput(issue.input)}`;
      }
      if (issue.code === 'invalid_value') {
        return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}; got ${describeInput(issue.input)}`;
      }
      return undefined;
    },
  });
  if (result.success) return { ok: true, args: result.data };

  const errors: ArgError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One error per key, each named, rather than one for the object that held them.
      for (const key of issue.keys) errors.push({ field: fieldOf([...issue.path, key]), message: 'is not a known argument' });
    } else {
      errors.push({ field: fieldOf(issue.path), message: issue.message });
    }
  }
  return { ok: false, errors };
}
