// `sundial client-types`: a TypeScript declaration of this install's actions — each name with its args as the action
// accepts them (its zod schema's JSON Schema, input side: a field with a default may be left out) — for
// @sundial/client, whose `dispatch` then checks `args` against the action named. Loads the actions only: no database.
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { createActionHost } from '../actions/host.js';
import { loadActions } from '../actions/loader.js';
import type { Config } from '../config/load.js';
import { loadEnvironment } from '../config/load.js';

/** `examples.import-records` → `ExamplesImportRecords`: the namespace that holds the action's `Args`. */
function namespaceOf(action: string): string {
  const words = action.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return /^[0-9]/.test(name) ? `Action${name}` : name || 'Action';
}

export interface ClientTypes {
  text: string;
  actions: string[];
}

/** The declaration file's text, from the actions the configuration loads. */
export async function clientTypes(config: Config): Promise<ClientTypes> {
  const host = createActionHost(config, loadEnvironment().variables);
  const registry = await loadActions({ dir: path.resolve(config.actions.dir), packages: config.actions.packages, host: host.host });
  const actions = registry.list().sort((a, b) => a.name.localeCompare(b.name));
  const declarations: string[] = [];
  const entries: string[] = [];
  const taken = new Set<string>();
  for (const action of actions) {
    let name = namespaceOf(action.name);
    for (let suffix = 2; taken.has(name); suffix += 1) name = `${namespaceOf(action.name)}${suffix}`;
    taken.add(name);
    const { $schema: _dialect, ...schema } = action.argsJsonSchema;
    const declared = await compile({ ...schema, description: action.description }, 'Args', {
      bannerComment: '',
      additionalProperties: false,
      strictIndexSignatures: true,
      unknownAny: true,
      style: { singleQuote: true, printWidth: 120 },
    });
    // One namespace per action: the helper types json-schema-to-typescript names (`_Schema0`) cannot collide.
    const body = declared.trim().split('\n').map((line) => (line ? `  ${line}` : line)).join('\n');
    declarations.push(`declare namespace ${name} {\n${body}\n}`);
    entries.push(`    ${JSON.stringify(action.name)}: ${name}.Args;`);
  }
  const text = [
    '// The actions of a Sundial install and their args, for @sundial/client: written by `sundial client-types`.',
    '// Write it again when the install\'s actions change; edits here are lost.',
    "import '@sundial/client';",
    '',
    ...declarations.flatMap((declaration) => [declaration, '']),
    "declare module '@sundial/client' {",
    '  interface SundialActions {',
    ...entries,
    '  }',
    '}',
    '',
  ].join('\n');
  return { text, actions: actions.map((action) => action.name) };
}
