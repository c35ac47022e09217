// Finds the actions of this install: the modules in the actions folder and the packages named in config.
// Every problem is collected before failing, each naming its file and what is wrong.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAction } from '@sundial/actions';
import type pg from 'pg';
import type { Config } from '../config/load.js';
import { ActionLoadError, createActionRegistry, showPath, type ActionRegistry, type FoundAction } from './registry.js';

/**
 * What the server hands to an action package that exports `createActions(host)` instead of ready-made actions
 * (actions that need settings or the database, e.g. @sundial/builtin-actions). Packages type what they use of it.
 */
export interface ActionHost {
  /** The server's configuration (sundial.yaml and SUNDIAL_* variables). */
  config: Config;
  /** The process environment, for secrets an action reads by name. */
  env: Readonly<Record<string, string | undefined>>;
  /** The app database's pool. Throws while the database is not open yet; actions run only after it is. */
  database(): pg.Pool;
}

export interface LoadActionsOptions {
  /**
   * The actions folder. Its modules are loaded, and those of its direct subfolders (actions/examples/*.ts);
   * deeper folders are not, so helpers can live in e.g. actions/reports/lib/. Omitted: no folder.
   */
  dir?: string;
  /** Package names (installed next to the server) whose exports are actions. */
  packages?: readonly string[];
  /** Given to packages that export createActions(host); without it such packages fail to load. */
  host?: ActionHost;
}

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

/** Tests, type declarations and names starting with _ or . are not action modules. */
function isActionModule(name: string): boolean {
  if (name.startsWith('_') || name.startsWith('.')) return false;
  if (/\.(test|spec)\.[mc]?[jt]s$/.test(name) || /\.d\.[mc]?ts$/.test(name)) return false;
  return MODULE_EXTENSIONS.has(path.extname(name));
}

function isScannedFolder(name: string): boolean {
  return !name.startsWith('_') && !name.startsWith('.') && name !== 'node_modules';
}

async function listActionModules(dir: string, problems: string[]): Promise<string[]> {
  const root = path.resolve(dir);
  try {
    if (!(await stat(root)).isDirectory()) {
      problems.push(`${showPath(root)}: the actions folder is a file, not a folder`);
      return [];
    }
  } catch {
    problems.push(`${showPath(root)}: the actions folder does not exist`);
    return [];
  }
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isFile() && isActionModule(entry.name)) files.push(path.join(root, entry.name));
    if (entry.isDirectory() && isScannedFolder(entry.name)) {
      const folder = path.join(root, entry.name);
      for (const inner of await readdir(folder, { withFileTypes: true })) {
        if (inner.isFile() && isActionModule(inner.name)) files.push(path.join(folder, inner.name));
      }
    }
  }
  // A stable order makes "defined twice" messages and the registry the same on every start.
  return files.sort();
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    // defineAction's own complaint says it all; anything else gets its kind (SyntaxError, TypeError, …) too.
    return error.name === 'ActionDefinitionError' || error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  }
  return String(error);
}

/** The actions a module exports, and what is wrong with its exports. */
function actionsOf(
  module: Record<string, unknown>,
  where: { file: string; package: string | null; shown: string },
  problems: string[],
  made: FoundAction[] = [],
): FoundAction[] {
  const found: FoundAction[] = [...made];
  let lookAlikes = 0;
  for (const [exportName, value] of Object.entries(module)) {
    if (isAction(value)) {
      if (!found.some((item) => item.definition === value)) {
        found.push({ definition: value, source: { file: where.file, exportName, package: where.package } });
      }
    } else if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { name?: unknown }).name === 'string' &&
      typeof (value as { run?: unknown }).run === 'function'
    ) {
      lookAlikes += 1;
      problems.push(
        `${where.shown}: export ${exportName} looks like an action but was not made with defineAction() from ` +
          '@sundial/actions; wrap it: export default defineAction({ … })',
      );
    }
  }
  // A package with createActions(host) has its own problems reported (see madeByFactory).
  if (found.length === 0 && lookAlikes === 0 && typeof module.createActions !== 'function') {
    const hint = where.package ? '' : ' (helper modules go in files whose names start with _)';
    problems.push(`${where.shown}: exports no action; export one made with defineAction()${hint}`);
  }
  return found;
}

/** The actions a package's createActions(host) returns, if it exports one. */
async function madeByFactory(
  module: Record<string, unknown>,
  where: { file: string; package: string | null; shown: string },
  host: ActionHost | undefined,
  problems: string[],
): Promise<FoundAction[]> {
  const factory = module.createActions;
  if (typeof factory !== 'function') return [];
  if (!host) {
    problems.push(`${where.shown}: exports createActions(host), but this loader was given no host to call it with`);
    return [];
  }
  let made: unknown;
  try {
    made = await (factory as (host: ActionHost) => unknown)(host);
  } catch (error) {
    problems.push(`${where.shown}: createActions(host) failed: ${messageOf(error)}`);
    return [];
  }
  if (!Array.isArray(made) || !made.every(isAction)) {
    problems.push(`${where.shown}: createActions(host) must return an array of actions made with defineAction()`);
    return [];
  }
  return made.map((definition) => ({ definition, source: { file: where.file, exportName: 'createActions', package: where.package } }));
}

/** Loads the actions of this install. Throws ActionLoadError listing every problem found. */
export async function loadActions(options: LoadActionsOptions): Promise<ActionRegistry> {
  const problems: string[] = [];
  const found: FoundAction[] = [];

  const files = options.dir === undefined ? [] : await listActionModules(options.dir, problems);
  for (const file of files) {
    const shown = showPath(file);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${shown}: failed to load: ${messageOf(error)}`);
      continue;
    }
    found.push(...actionsOf(module, { file, package: null, shown }, problems));
  }

  for (const name of options.packages ?? []) {
    let module: Record<string, unknown>;
    try {
      module = (await import(name)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`package ${name}: failed to load: ${messageOf(error)}`);
      continue;
    }
    const where = { file: name, package: name, shown: `package ${name}` };
    found.push(...actionsOf(module, where, problems, await madeByFactory(module, where, options.host, problems)));
  }

  if (problems.length > 0) {
    // Duplicates among what did load are worth knowing in the same report.
    try {
      createActionRegistry(found);
    } catch (error) {
      if (error instanceof ActionLoadError) problems.push(...error.problems);
    }
    throw new ActionLoadError(problems);
  }
  return createActionRegistry(found);
}
