// The actions this server knows, by name. Built once at start (loader.ts) or from definitions in code (tests,
// embedding); it never changes afterwards, so readers need no locking and a job's action cannot vanish mid-run.
import path from 'node:path';
import {
  validateActionArgs,
  type ActionContext,
  type ActionDefaults,
  type ActionDefinition,
  type ArgsValidation,
} from '@sundial/actions';

/** Where an action was found. */
export interface ActionSource {
  /** The module file (absolute), or the package name for actions from a package. */
  file: string;
  /** The export that held it: `default` or the export's name; null for definitions handed over in code. */
  exportName: string | null;
  /** The package it came from, when it came from `actions.packages`. */
  package: string | null;
}

export interface RegisteredAction {
  name: string;
  description: string;
  /** JSON Schema of the args, input side (fields with defaults are optional); a fresh copy per entry. */
  argsJsonSchema: Record<string, unknown>;
  /** What the action suggests; the engine fills the gaps with its own defaults, a job may override each. */
  defaults: Readonly<ActionDefaults>;
  source: ActionSource;
  definition: ActionDefinition;
  /** Validates a job's or run's args and applies defaults; errors name the field inside args. */
  validateArgs(args: unknown): ArgsValidation<Record<string, unknown>>;
  run(context: ActionContext): unknown;
}

export interface ActionRegistry {
  get(name: string): RegisteredAction | undefined;
  has(name: string): boolean;
  /** Sorted by name. */
  list(): RegisteredAction[];
}

/** Everything wrong with the actions of this install, all at once, so one restart fixes them all. */
export class ActionLoadError extends Error {
  override name = 'ActionLoadError';
  constructor(readonly problems: string[]) {
    super(`could not load the actions:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export interface FoundAction {
  definition: ActionDefinition;
  source: ActionSource;
}

/** A path as people read it in a message: relative to the working folder when inside it. */
export function showPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export function describeSource(source: ActionSource): string {
  const where = source.package ?? showPath(source.file);
  return source.exportName === null ? where : `${where} (export ${source.exportName})`;
}

function toEntry({ definition, source }: FoundAction): RegisteredAction {
  return Object.freeze({
    name: definition.name,
    description: definition.description,
    argsJsonSchema: structuredClone(definition.argsJsonSchema),
    defaults: definition.defaults,
    source: Object.freeze({ ...source }),
    definition,
    validateArgs: (args: unknown) => validateActionArgs(definition, args),
    run: (context: ActionContext) => definition.run(context),
  });
}

/**
 * Builds a registry. Throws ActionLoadError naming both places when two different definitions share a name;
 * the same definition found twice (a default export that is also a named export, a re-export) counts once.
 */
export function createActionRegistry(actions: readonly (FoundAction | ActionDefinition)[]): ActionRegistry {
  const byName = new Map<string, FoundAction>();
  const problems: string[] = [];
  for (const item of actions) {
    const found: FoundAction =
      'definition' in item ? item : { definition: item, source: { file: '(defined in code)', exportName: null, package: null } };
    const earlier = byName.get(found.definition.name);
    if (!earlier) {
      byName.set(found.definition.name, found);
    } else if (earlier.definition !== found.definition) {
      problems.push(
        `action "${found.definition.name}" is defined twice: in ${describeSource(earlier.source)} and in ` +
          `${describeSource(found.source)}; action names must be unique, rename one`,
      );
    }
  }
  if (problems.length > 0) throw new ActionLoadError(problems);

  const entries = new Map([...byName].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, found]) => [name, toEntry(found)]));
  const list = [...entries.values()];
  return {
    get: (name) => entries.get(name),
    has: (name) => entries.has(name),
    list: () => [...list],
  };
}
