// defineAction: the one way to make an action. It checks the definition when the module loads (so a bad action
// fails the server's start with its name, not a run at 3 a.m.) and brands the result, so the loader can tell an
// action from any other export.
import { z } from 'zod';
import type { ActionContext } from './context.js';

/** An action's args: a zod object. Unknown keys are always rejected, whatever object kind the author used. */
export type ArgsSchema = z.ZodObject;

/** What an action suggests for the jobs that run it; a job may override each. */
export interface ActionDefaults {
  /** Abort the run (signal) and mark it timed out after this long. */
  timeoutMs?: number;
  /** Extra attempts after a failure. */
  retries?: number;
  /** Wait before the first retry; later retries back off exponentially from it. */
  retryBackoffMs?: number;
  /** Per-user child runs of one job that run at once. */
  concurrency?: number;
}

export interface ActionSpec<A extends ArgsSchema, O> {
  /** Dotted lowercase identifier, e.g. `reminders.send`. Jobs refer to the action by it. */
  name: string;
  /** One or two sentences for the admin app and the API. */
  description: string;
  /** zod object schema of the arguments; omit it for an action without arguments. */
  args?: A;
  defaults?: ActionDefaults;
  /** Does the work. What it returns is stored as the run's output (keep it JSON and small). */
  run(context: ActionContext<z.output<A>>): O | Promise<O>;
}

export interface ActionDefinition<A extends ArgsSchema = ArgsSchema, O = unknown> {
  readonly name: string;
  readonly description: string;
  /** The author's schema, made strict (unknown keys rejected). */
  readonly args: A;
  readonly defaults: Readonly<ActionDefaults>;
  /** JSON Schema of the args, input side (fields with defaults are optional). */
  readonly argsJsonSchema: Readonly<Record<string, unknown>>;
  // Method syntax on purpose: an action with specific args is then usable where any action is expected.
  run(context: ActionContext<z.output<A>>): O | Promise<O>;
}

/** The loader checks this brand; Symbol.for so an action package with its own copy of this SDK still passes. */
const BRAND = Symbol.for('sundial.action');
const BRAND_VERSION = 1;

export class ActionDefinitionError extends Error {
  override name = 'ActionDefinitionError';
  constructor(
    /** The action's name when it was readable, else null. */
    readonly action: string | null,
    readonly problems: string[],
  ) {
    super(`invalid action ${action === null ? '(no valid name)' : `"${action}"`}: ${problems.join('; ')}`);
  }
}

const NAME_PATTERN = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)*$/;
const NAME_MAX = 100;
const DESCRIPTION_MAX = 2000;

// Upper bounds keep a typo from becoming a job that waits 30 years; timeoutMs stops where setTimeout does.
const DEFAULT_RANGES: Record<keyof ActionDefaults, [min: number, max: number]> = {
  timeoutMs: [1, 2_147_483_647],
  retries: [0, 100],
  retryBackoffMs: [0, 86_400_000],
  concurrency: [1, 1000],
};

function checkName(name: unknown, problems: string[]): string | null {
  if (typeof name !== 'string') {
    problems.push('name must be a string such as "reminders.send"');
    return null;
  }
  if (name.length > NAME_MAX || !NAME_PATTERN.test(name)) {
    problems.push(
      `name "${name}" must be a dotted lowercase identifier such as "reminders.send" ` +
        `(segments start with a letter; letters, digits, - and _ inside; at most ${NAME_MAX} characters)`,
    );
    return null;
  }
  return name;
}

function checkDefaults(defaults: unknown, problems: string[]): ActionDefaults {
  if (defaults === undefined) return {};
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) {
    problems.push('defaults must be an object like { timeoutMs, retries, retryBackoffMs, concurrency }');
    return {};
  }
  const checked: ActionDefaults = {};
  for (const [key, value] of Object.entries(defaults)) {
    const range = DEFAULT_RANGES[key as keyof ActionDefaults];
    if (!range) {
      problems.push(`defaults.${key} is not a setting (allowed: ${Object.keys(DEFAULT_RANGES).join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    const [min, max] = range;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`defaults.${key} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value)}`);
      continue;
    }
    checked[key as keyof ActionDefaults] = value;
  }
  return checked;
}

/** zod's own marker of an object schema; works across copies of zod, unlike instanceof. */
function isZodObject(value: unknown): value is ArgsSchema {
  const internals = (value as { _zod?: { def?: { type?: unknown } } } | null)?._zod;
  return typeof value === 'object' && value !== null && internals?.def?.type === 'object';
}

function argsJsonSchemaOf(args: ArgsSchema, problems: string[]): Record<string, unknown> {
  try {
    return z.toJSONSchema(args, { io: 'input' });
  } catch (error) {
    // Args arrive as JSON (the admin form, the API), so a type JSON cannot carry could never be filled in.
    problems.push(
      `args cannot be described as JSON Schema (${(error as Error).message}); args arrive as JSON, so use ` +
        'JSON types, e.g. z.iso.datetime() instead of z.date()',
    );
    return {};
  }
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- zod's shape of an object with no fields is {}
export function defineAction<A extends ArgsSchema = z.ZodObject<{}, z.core.$strict>, O = unknown>(
  spec: ActionSpec<A, O>,
): ActionDefinition<A, O> {
  const problems: string[] = [];
  if (typeof spec !== 'object' || spec === null) {
    throw new ActionDefinitionError(null, ['defineAction needs an object { name, description, args, defaults, run }']);
  }
  const name = checkName(spec.name, problems);
  if (typeof spec.description !== 'string' || spec.description.trim() === '') {
    problems.push('description must be a non-empty string');
  } else if (spec.description.length > DESCRIPTION_MAX) {
    problems.push(`description must be at most ${DESCRIPTION_MAX} characters`);
  }
  let args: ArgsSchema = z.strictObject({});
  if (spec.args !== undefined) {
    if (isZodObject(spec.args)) args = spec.args.strict();
    else problems.push('args must be a zod object schema, e.g. z.object({ message: z.string() })');
  }
  const defaults = checkDefaults(spec.defaults, problems);
  if (typeof spec.run !== 'function') problems.push('run must be a function (context) => output');
  const argsJsonSchema = problems.length === 0 ? argsJsonSchemaOf(args, problems) : {};
  if (problems.length > 0) throw new ActionDefinitionError(name, problems);

  const definition = {
    name: name as string,
    description: spec.description.trim(),
    args: args as A,
    defaults: Object.freeze(defaults),
    argsJsonSchema: deepFreeze(argsJsonSchema),
    run: spec.run,
  };
  Object.defineProperty(definition, BRAND, { value: BRAND_VERSION, enumerable: false });
  return Object.freeze(definition);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** True for what defineAction returned (and only that): loose objects with a name and a run are not actions. */
export function isAction(value: unknown): value is ActionDefinition {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === BRAND_VERSION
  );
}
