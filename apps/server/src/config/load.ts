// The only reader of process.env and sundial.yaml: the config, and loadEnvironment for what is not a config key.
// Everything else receives them.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { configSchema, type Config } from './schema.js';

export type { Config } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV_PREFIX = 'SUNDIAL_';

/** `SUNDIAL_JOBS__ENABLED` → ['jobs', 'enabled']; names without `__` are not config paths. */
function envPath(name: string): string[] | null {
  if (!name.startsWith(ENV_PREFIX) || !name.includes('__')) return null;
  return name.slice(ENV_PREFIX.length).toLowerCase().split('__');
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function getPath(source: unknown, keys: PropertyKey[]): unknown {
  let node = source;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * A key left empty in YAML (`port:`), or a section whose keys are all commented out (`server:`), reads as null:
 * treat it as not set, so the default applies, rather than as a wrong type.
 */
function withoutNulls(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (value === null) continue;
    out[key] = typeof value === 'object' && !Array.isArray(value) ? withoutNulls(value as Record<string, unknown>) : value;
  }
  return out;
}

/** Shows a value in a message: secrets hidden by key name, and a URL's password replaced wherever it is. */
function showValue(at: string, value: unknown): string {
  if (/password|secret|token/i.test(at)) return '(hidden)';
  return (JSON.stringify(value) ?? String(value)).replace(/(\/\/[^/:@\s"]*):[^@\s"]*@/g, '$1:***@');
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Config file; default `SUNDIAL_CONFIG` or ./sundial.yaml (optional unless named explicitly). */
  file?: string;
  /**
   * The folder sundial.yaml and relative folders (data_dir, actions.dir) are found in. Default: where `npm …` was typed (INIT_CWD),
   * because npm runs a workspace's script in the workspace's own folder (apps/server); else the working folder.
   */
  cwd?: string;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? env.INIT_CWD ?? process.cwd();
  const named = options.file ?? env.SUNDIAL_CONFIG;
  const file = path.resolve(cwd, named ?? 'sundial.yaml');

  let raw: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      const parsed: unknown = parseYaml(fs.readFileSync(file, 'utf8'));
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw new ConfigError(`${file}: the top level must be a mapping of sections (server:, database:, …)`);
        }
        raw = withoutNulls(parsed as Record<string, unknown>);
      }
    } catch (error) {
      if (error instanceof YAMLParseError) throw new ConfigError(`${file}: not valid YAML: ${error.message.split('\n')[0]}`);
      throw error;
    }
  } else if (named) {
    throw new ConfigError(`config file ${file} (from ${options.file ? 'the command line' : 'SUNDIAL_CONFIG'}) does not exist`);
  }

  const sources = new Map<string, string>();
  // DATABASE_URL is the name most hosts set; SUNDIAL_DATABASE__URL wins over it.
  if (env.DATABASE_URL && !env.SUNDIAL_DATABASE__URL) {
    setPath(raw, ['database', 'url'], env.DATABASE_URL);
    sources.set('database.url', 'DATABASE_URL');
  }
  for (const [name, value] of Object.entries(env)) {
    const keys = envPath(name);
    if (!keys || value === undefined) continue;
    setPath(raw, keys, value);
    sources.set(keys.join('.'), name);
  }

  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(describeIssues(result.error, raw, sources, file));
  const config = result.data;
  // Folders are relative to where sundial.yaml is looked for, not to wherever npm started the server.
  config.database.data_dir = path.resolve(cwd, config.database.data_dir);
  config.actions.dir = path.resolve(cwd, config.actions.dir);
  if (config.definitions.file) config.definitions.file = path.resolve(cwd, config.definitions.file);
  // The OIDC client secret may live in a file (a container secret) rather than in the environment.
  const secretFile = config.auth.oidc.client_secret_file;
  if (secretFile) {
    const where = path.resolve(cwd, secretFile);
    try {
      config.auth.oidc.client_secret = fs.readFileSync(where, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(`auth.oidc.client_secret_file: cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return config;
}

/**
 * The process environment beyond the config keys: the variables actions read secrets from by name
 * (`{{secret:NAME}}`, builtin.http.secret_env_prefix), and whether NODE_ENV=production (`auto` settings are off
 * then). Read when a process starts, like the config, so nothing outside config/ reads process.env.
 */
export interface ProcessEnvironment {
  /** The variables themselves, as the process has them (a secret is read when a request needs it). */
  variables: Readonly<Record<string, string | undefined>>;
  /** NODE_ENV=production. */
  production: boolean;
}

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): ProcessEnvironment {
  return { variables: env, production: env.NODE_ENV === 'production' };
}

function unwrapDefaults(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault) node = node.unwrap() as z.ZodType;
  return node;
}

/** The keys the schema allows at a path ([] → the sections), to say what an unknown key could have been. */
function keysAt(at: PropertyKey[]): string[] {
  let node: z.ZodType = configSchema;
  for (const key of at) {
    const object = unwrapDefaults(node);
    const next = object instanceof z.ZodObject ? (object.shape as Record<string, z.ZodType>)[String(key)] : undefined;
    if (!next) return [];
    node = next;
  }
  const object = unwrapDefaults(node);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

/** The env variable that set this key, or one below it (SUNDIAL_SERVER__PORT__X sets server.port); else the file. */
function sourceOf(at: string, sources: Map<string, string>, file: string): string {
  const exact = sources.get(at);
  if (exact) return exact;
  for (const [key, name] of sources) if (key.startsWith(`${at}.`)) return name;
  return file;
}

function describeIssues(error: z.ZodError, raw: unknown, sources: Map<string, string>, file: string): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((key) => {
            const at = [...issue.path, key].join('.');
            const from = sourceOf(at, sources, file);
            const known = keysAt(issue.path);
            const where = issue.path.length > 0 ? `${issue.path.join('.')} has` : 'the sections are';
            return `${at} (from ${from}): unknown setting; ${where}: ${known.join(', ')} (see docs/configuration.md)`;
          })
          .join('\n');
      }
      const at = issue.path.join('.');
      const value = getPath(raw, issue.path);
      return `${at} = ${showValue(at, value)} (from ${sourceOf(at, sources, file)}): ${issue.message}`;
    })
    .join('\n');
}
