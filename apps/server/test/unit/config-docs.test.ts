// docs/configuration.md must describe every key the schema accepts, with its variable and its real default.
// The keys come from walking configSchema itself, so a new key without documentation fails here.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';

const DOCS = fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url));

function unwrapDefaults(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault) node = node.unwrap() as z.ZodType;
  return node;
}

/** Every leaf key of the schema as a path: [['server', 'port'], …]. */
function leafKeys(schema: z.ZodType, at: string[] = []): string[][] {
  const node = unwrapDefaults(schema);
  if (!(node instanceof z.ZodObject)) return [at];
  return Object.entries(node.shape as Record<string, z.ZodType>).flatMap(([key, child]) => leafKeys(child, [...at, key]));
}

function valueAt(source: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], source);
}

/** The table row of a key: `| \`server.port\` | \`SUNDIAL_SERVER__PORT\` | type | default | meaning |`. */
function rowOf(docs: string, key: string): string[] | undefined {
  const line = docs.split('\n').find((text) => text.startsWith(`| \`${key}\` |`));
  return line
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
}

/** How the Default column shows a value: (empty) for '', (none) for [] and {}, else the value in backticks. */
function shown(value: unknown): string {
  if (value === '') return '(empty)';
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : `\`${value.join(', ')}\``;
  return `\`${String(value)}\``;
}

const docs = fs.readFileSync(DOCS, 'utf8');
const defaults = configSchema.parse({});
const keys = leafKeys(configSchema);

describe('docs/configuration.md', () => {
  it('finds the keys by walking the schema', () => {
    // Guards the walk itself: a walk that stopped at the sections would make every check below trivial.
    expect(keys.length).toBeGreaterThan(Object.keys(configSchema.shape).length);
    expect(keys).toContainEqual(['jobs', 'enabled']);
  });

  it.each(keys.map((key) => [key.join('.'), key] as const))('documents %s: variable, type, default, meaning', (name, key) => {
    const row = rowOf(docs, name);
    expect(row, `docs/configuration.md has no table row starting with | \`${name}\` |`).toBeDefined();
    const [, env, type, shownDefault, meaning] = row!;
    expect(env).toBe(`\`SUNDIAL_${key.map((part) => part.toUpperCase()).join('__')}\``);
    expect(type).not.toBe('');
    const value = valueAt(defaults, key);
    expect(shownDefault).toBe(shown(value));
    expect(meaning!.length).toBeGreaterThan(10);
  });

  it('documents no key the schema does not have', () => {
    const documented = docs
      .split('\n')
      .map((line) => /^\| `([a-z_]+\.[a-z_.]+)` \|/.exec(line)?.[1])
      .filter((key): key is string => Boolean(key));
    expect(documented.sort()).toEqual(keys.map((key) => key.join('.')).sort());
  });

  it('documents the DATABASE_URL alias and the API-only example', () => {
    expect(docs).toContain('DATABASE_URL');
    expect(docs).toContain('SUNDIAL_JOBS__ENABLED=false');
  });
});
