// `sundial export` / `sundial import`: jobs as code from the command line; `sundial client-types`: the install's
// actions as TypeScript for @sundial/client. Export and import work on the configured database (sundial.yaml
// and SUNDIAL_* like the server). The services are built as the server builds them (core.ts): the same
// DefinitionsService as the server's start-up and the GraphQL API; this
// process never executes jobs (running workers read the jobs' next slots from the table).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createActionHost } from '../actions/host.js';
import { loadActions } from '../actions/loader.js';
import { ActionLoadError } from '../actions/registry.js';
import { clientTypes } from './client-types.js';
import { ConfigError, loadConfig, loadEnvironment, type Config } from '../config/load.js';
import { DatabaseUnreachableError, openDatabase } from '../db/database.js';
import { DataDirInUseError } from '../db/embedded.js';
import { MigrationError } from '../db/migrate.js';
import { createLogger } from '../lib/logger.js';
import { createCore } from '../core.js';
import { createRealtime } from '../realtime/create.js';
import { formatFromName, localActor, stringifyDefinitions, type DefinitionsFormat, type DefinitionsService } from '../services/definitions.js';
import { describeChanges } from '../services/definitions/startup.js';
import { AuthService } from '../services/auth/auth-service.js';
import { ValidationError } from '../services/errors.js';

/** Exit codes: what a script calling the CLI can tell apart. */
export const EXIT = { ok: 0, refused: 1, usage: 2, environment: 3 } as const;

const USAGE = `Usage:
  sundial export [--format yaml|json] [--out FILE] [--job KEY]...
      Writes the jobs (all, or those with the given keys), with the users and roles they refer to,
      as a definitions document: to FILE, or to standard output.
  sundial import FILE [--dry-run] [--prune] [--format yaml|json]
      Applies a definitions document (FILE, or - for standard input): roles by name, users by e-mail,
      jobs by key. All of it or, with any problem, none of it; every problem is listed.
      --dry-run  check and say what would change; change nothing
      --prune    also delete jobs that have a key and are not in the document
  sundial client-types [--out FILE]
      Writes a TypeScript declaration of this install's actions and their args for @sundial/client
      (dispatch then checks args per action): to FILE (e.g. sundial-actions.d.ts), or to standard output.
      Loads the actions only; no database. See docs/client.md.

Uses the database of sundial.yaml and SUNDIAL_* variables, like the server. The embedded database serves one
process: while a server runs on it, use the GraphQL API instead (exportDefinitions, importDefinitions).
See docs/jobs-as-code.md.
`;

class UsageError extends Error {}

function readFormat(value: string | undefined, fallback: DefinitionsFormat): DefinitionsFormat {
  if (value === undefined) return fallback;
  const format = value.toLowerCase();
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not ${JSON.stringify(value)}`);
  return format;
}

/**
 * Opens what the definitions need (actions, database, engine without executing), runs `work`, closes it all.
 * `prepare`: a writer readies the database as a server's first start would (migrations, built-in roles, first
 * admin), so a document can name the built-in roles and the rule "someone can still administer" holds.
 */
async function withDefinitions<T>(config: Config, prepare: boolean, work: (service: DefinitionsService) => Promise<T>): Promise<T> {
  const logger = createLogger('warn');
  // This process only writes: it never executes runs or fires schedules, whatever the config says.
  const cliConfig: Config = { ...config, jobs: { ...config.jobs, enabled: false } };
  const actionHost = createActionHost(cliConfig, loadEnvironment().variables);
  const actions = await loadActions({ dir: path.resolve(cliConfig.actions.dir), packages: cliConfig.actions.packages, host: actionHost.host });
  const database = await openDatabase(cliConfig);
  try {
    actionHost.attach(database.pool);
    await database.migrate();
    const auth = new AuthService({ prisma: database.prisma, pool: database.pool, settings: cliConfig.auth, logger });
    if (prepare) await auth.bootstrap(logger);
    const bus = await createRealtime(database, logger);
    const { services, engine } = await createCore({ config: cliConfig, database, actions, bus, logger, auth });
    await engine.start();
    try {
      return await work(services.definitions);
    } finally {
      await engine.stop(0);
      await bus.close();
    }
  } finally {
    await database.close();
  }
}

async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string' }, out: { type: 'string' }, job: { type: 'string', multiple: true } },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`export takes no file argument (use --out FILE), got ${positionals.join(' ')}`);
  const format = readFormat(values.format, values.out ? formatFromName(values.out) : 'yaml');
  const config = loadConfig();
  const { document, generatedKeys } = await withDefinitions(config, false, (service) => service.export({ jobKeys: values.job }));
  const text = stringifyDefinitions(document, format);
  if (values.out) {
    fs.writeFileSync(values.out, text);
    process.stderr.write(`Wrote ${document.jobs.length} job(s), ${document.users.length} user(s), ${document.roles.length} role(s) to ${values.out}\n`);
  } else {
    process.stdout.write(text);
  }
  if (generatedKeys.length > 0) {
    process.stderr.write(
      `${generatedKeys.length} job(s) had no key; the document names them (importing it into this same install creates copies unless the jobs get these keys first):\n` +
        generatedKeys.map(({ name, key }) => `  ${key}  (${name})\n`).join(''),
    );
  }
  return EXIT.ok;
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' }, format: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('import takes one file (or - for standard input)');
  const file = positionals[0]!;
  const format = readFormat(values.format, formatFromName(file));
  let source: string;
  try {
    source = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    process.stderr.write(`sundial import: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return EXIT.usage;
  }
  const config = loadConfig();
  const dryRun = values['dry-run'] ?? false;
  try {
    const summary = await withDefinitions(config, true, (service) => service.applyText(source, format, { dryRun, prune: values.prune ?? false, actor: localActor('CLI', file) }));
    process.stdout.write(`${dryRun ? 'Dry run, nothing changed. Would apply' : 'Applied'} ${file}: ${describeChanges(summary)}\n`);
    for (const kind of ['calendars', 'roles', 'users', 'jobs'] as const) {
      for (const change of ['created', 'updated', 'deleted'] as const) {
        for (const name of summary[kind][change]) process.stdout.write(`  ${change} ${kind.slice(0, -1)} ${name}\n`);
      }
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    process.stderr.write(`sundial import: ${file} was refused, nothing was changed (${error.errors.length} problem(s)):\n`);
    for (const problem of error.errors) process.stderr.write(`${problem.field || '(document)'}: ${problem.message}\n`);
    return EXIT.refused;
  }
}

async function clientTypesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`client-types takes no file argument (use --out FILE), got ${positionals.join(' ')}`);
  const { text, actions } = await clientTypes(loadConfig());
  if (values.out) {
    fs.writeFileSync(values.out, text);
    process.stderr.write(`Wrote the args of ${actions.length} action(s) to ${values.out}\n`);
  } else {
    process.stdout.write(text);
  }
  return EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'export') return await exportCommand(rest);
    if (command === 'import') return await importCommand(rest);
    if (command === 'client-types') return await clientTypesCommand(rest);
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.usage : EXIT.ok;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sundial: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (error instanceof ValidationError) {
      for (const problem of error.errors) process.stderr.write(`sundial ${command}: ${problem.field ? `${problem.field === 'jobKeys' ? '--job' : problem.field}: ` : ''}${problem.message}\n`);
      return EXIT.refused;
    }
    if (error instanceof DataDirInUseError) {
      process.stderr.write(
        `sundial: ${error.message}\nThe embedded database serves one process at a time: stop the server first, or use the GraphQL API while it runs (exportDefinitions, importDefinitions; see docs/jobs-as-code.md).\n`,
      );
      return EXIT.environment;
    }
    if ([ConfigError, ActionLoadError, DatabaseUnreachableError, MigrationError].some((kind) => error instanceof kind)) {
      process.stderr.write(`sundial: ${(error as Error).message}\n`);
      return EXIT.environment;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
