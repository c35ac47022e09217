// The only reader of process.env and sundial.yaml. Everything else receives a validated Config.
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

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Config file; default `SUNDIAL_CONFIG` or ./sundial.yaml (optional unless named explicitly). */
  file?: string;
  cwd?: string;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
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
        raw = parsed as Record<string, unknown>;
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
  return result.data;
}

function describeIssues(error: z.ZodError, raw: unknown, sources: Map<string, string>, file: string): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((key) => {
            const at = [...issue.path, key].join('.');
            const from = sources.get(at) ?? file;
            return `${at} (from ${from}): unknown setting; see docs/configuration.md for the keys`;
          })
          .join('\n');
      }
      const at = issue.path.join('.');
      const value = getPath(raw, issue.path);
      const shown = /password|secret|token/i.test(at) ? '(hidden)' : JSON.stringify(value);
      return `${at} = ${shown} (from ${sources.get(at) ?? file}): ${issue.message}`;
    })
    .join('\n');
}
