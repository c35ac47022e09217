import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defineAction, z } from '@sundial/actions';
import { loadActions, type ActionHost } from '../../src/actions/loader.js';
import { ActionLoadError, createActionRegistry } from '../../src/actions/registry.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const made: string[] = [];

/** A temporary actions folder with these files; `@sundial/actions` resolves from it as in an install. */
async function actionsFolder(files: Record<string, string>): Promise<string> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sundial-actions-'));
  made.push(base);
  await symlink(path.join(ROOT, 'node_modules'), path.join(base, 'node_modules'), 'dir');
  const dir = path.join(base, 'actions');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

const action = (name: string, extra = '') => `
import { defineAction, z } from '@sundial/actions';
export default defineAction({
  name: '${name}',
  description: 'The ${name} action.',
  args: z.object({ message: z.string(), times: z.number().default(1) }),
  ${extra}
  run: ({ args }) => args.message.repeat(args.times),
});
`;

const THROWS = `throw new Error('this file must not be loaded');\n`;

async function problemsOf(options: Parameters<typeof loadActions>[0]): Promise<string[]> {
  try {
    await loadActions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionLoadError);
    return (error as ActionLoadError).problems;
  }
  throw new Error('expected loadActions to fail');
}

describe('loadActions', () => {
  it('loads the folder’s modules and its direct subfolders’, skipping tests, helpers and deeper folders', async () => {
    const dir = await actionsFolder({
      'greet.ts': action('greet', "defaults: { retries: 2, concurrency: 5 },"),
      'reports/daily.ts': `
        import { defineAction } from '@sundial/actions';
        export const daily = defineAction({ name: 'reports.daily', description: 'Daily.', run: () => 'daily' });
        export const weekly = defineAction({ name: 'reports.weekly', description: 'Weekly.', run: () => 'weekly' });
        // The same action as default and named export counts once.
        export default daily;
        export const notAnAction = 42;
      `,
      'plain.mjs': `
        import { defineAction } from '@sundial/actions';
        export default defineAction({ name: 'plain.js', description: 'From JavaScript.', run: () => null });
      `,
      '_helpers.ts': THROWS,
      'greet.test.ts': THROWS,
      'types.d.ts': THROWS,
      'notes.md': 'not code',
      'reports/lib/deep.ts': THROWS,
      '_drafts/draft.ts': THROWS,
    });
    const registry = await loadActions({ dir });
    expect(registry.list().map((entry) => entry.name)).toEqual(['greet', 'plain.js', 'reports.daily', 'reports.weekly']);
    expect(registry.has('greet')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.get('nope')).toBeUndefined();

    const greet = registry.get('greet');
    expect(greet).toMatchObject({
      name: 'greet',
      description: 'The greet action.',
      defaults: { retries: 2, concurrency: 5 },
      source: { file: path.join(dir, 'greet.ts'), exportName: 'default', package: null },
      argsJsonSchema: { type: 'object', required: ['message'], additionalProperties: false },
    });
    expect(registry.get('reports.daily')?.source).toEqual({
      file: path.join(dir, 'reports', 'daily.ts'),
      exportName: 'daily',
      package: null,
    });
    expect(greet?.validateArgs({ message: 'hi' })).toEqual({ ok: true, args: { message: 'hi', times: 1 } });
    expect(greet?.validateArgs({})).toEqual({ ok: false, errors: [{ field: 'message', message: 'is required' }] });
  });

  it('rejects two actions with one name, naming both files', async () => {
    const dir = await actionsFolder({ 'a.ts': action('same.name'), 'nested/b.ts': action('same.name') });
    expect(await problemsOf({ dir })).toEqual([
      `action "same.name" is defined twice: in ${path.join(dir, 'a.ts')} (export default) and in ` +
        `${path.join(dir, 'nested', 'b.ts')} (export default); action names must be unique, rename one`,
    ]);
  });

  it('says which file holds an invalid definition and what is wrong with it', async () => {
    const dir = await actionsFolder({ 'bad.ts': action('Bad Name', 'defaults: { retries: -1 },') });
    const [problem, ...rest] = await problemsOf({ dir });
    expect(rest).toEqual([]);
    expect(problem).toBe(
      `${path.join(dir, 'bad.ts')}: failed to load: invalid action (no valid name): name "Bad Name" must be a ` +
        'dotted lowercase identifier such as "reminders.send" (segments start with a letter; letters, digits, - and _ ' +
        'inside; at most 100 characters); defaults.retries must be a whole number from 0 to 100; got -1',
    );
  });

  it('names the file that throws while it loads, with the error', async () => {
    const dir = await actionsFolder({
      'broken.ts': `import { defineAction } from '@sundial/actions';\nconst token = process.env.NOPE!.trim();\nexport default token;\n`,
    });
    const problems = await problemsOf({ dir });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${escape(path.join(dir, 'broken.ts'))}: failed to load: TypeError: `));
  });

  it('rejects look-alike objects not made with defineAction, and modules without actions', async () => {
    const dir = await actionsFolder({
      'loose.ts': `export default { name: 'loose', description: 'd', run: () => null };\n`,
      'empty.ts': `export const answer = 42;\n`,
    });
    expect(await problemsOf({ dir })).toEqual([
      `${path.join(dir, 'empty.ts')}: exports no action; export one made with defineAction() ` +
        '(helper modules go in files whose names start with _)',
      `${path.join(dir, 'loose.ts')}: export default looks like an action but was not made with defineAction() ` +
        'from @sundial/actions; wrap it: export default defineAction({ … })',
    ]);
  });

  it('reports every problem in one error, duplicates among the good files included', async () => {
    const dir = await actionsFolder({
      'a.ts': action('dup'),
      'b.ts': action('dup'),
      'c.ts': THROWS,
      'd.ts': `export const nothing = null;\n`,
    });
    let caught: unknown;
    await loadActions({ dir }).catch((error: unknown) => (caught = error));
    expect(caught).toBeInstanceOf(ActionLoadError);
    const error = caught as ActionLoadError;
    expect(error.problems.map((problem) => problem.replaceAll(dir + path.sep, ''))).toEqual([
      'c.ts: failed to load: this file must not be loaded',
      'd.ts: exports no action; export one made with defineAction() (helper modules go in files whose names start with _)',
      'action "dup" is defined twice: in a.ts (export default) and in b.ts (export default); ' +
        'action names must be unique, rename one',
    ]);
    expect(error.message.split('\n')[0]).toBe('could not load the actions:');
    expect(error.message).toContain('\n  - ');
  });

  it('says when the actions folder is missing', async () => {
    const dir = path.join(await actionsFolder({}), 'missing');
    expect(await problemsOf({ dir })).toEqual([`${dir}: the actions folder does not exist`]);
  });

  it('loads the actions a package exports and names the package in problems', async () => {
    const dir = await actionsFolder({});
    const pkg = path.join(path.dirname(dir), 'vendor', 'index.mjs');
    await mkdir(path.dirname(pkg), { recursive: true });
    await writeFile(
      pkg,
      `import { defineAction } from '@sundial/actions';\n` +
        `export const sync = defineAction({ name: 'vendor.sync', description: 'Sync.', run: () => 'synced' });\n`,
    );
    const specifier = pathToFileURL(pkg).href;
    const registry = await loadActions({ dir, packages: [specifier] });
    expect(registry.get('vendor.sync')?.source).toEqual({ file: specifier, exportName: 'sync', package: specifier });

    const problems = await problemsOf({ packages: ['@sundial/no-such-package', '@sundial/actions'] });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^package @sundial\/no-such-package: failed to load: .*@sundial\/no-such-package/);
    expect(problems[1]).toBe('package @sundial/actions: exports no action; export one made with defineAction()');
  });

  it('calls a package\'s createActions(host) with the host, and says when no host was given', async () => {
    const dir = await actionsFolder({});
    const pkg = path.join(path.dirname(dir), 'factory', 'index.mjs');
    await mkdir(path.dirname(pkg), { recursive: true });
    await writeFile(
      pkg,
      `import { defineAction } from '@sundial/actions';\n` +
        `export function createActions(host) {\n` +
        `  return [defineAction({ name: 'factory.greet', description: 'Greets.', run: () => host.config.greeting })];\n` +
        `}\n`,
    );
    const specifier = pathToFileURL(pkg).href;
    const host = { config: { greeting: 'hello' }, env: {}, database: () => { throw new Error('not used'); } } as unknown as ActionHost;
    const registry = await loadActions({ packages: [specifier], host });
    expect(registry.get('factory.greet')?.source).toEqual({ file: specifier, exportName: 'createActions', package: specifier });
    expect(await registry.get('factory.greet')?.definition.run({} as never)).toBe('hello');

    expect(await problemsOf({ packages: [specifier] })).toEqual([
      `package ${specifier}: exports createActions(host), but this loader was given no host to call it with`,
    ]);
  });

  it('loads the examples shipped in actions/', async () => {
    const registry = await loadActions({ dir: path.join(ROOT, 'actions') });
    expect(registry.list().map((entry) => entry.name)).toEqual([
      'examples.import-records',
      'examples.noop',
      'examples.recommend',
      'examples.reminder',
    ]);
    for (const entry of registry.list()) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.argsJsonSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });
});

describe('createActionRegistry', () => {
  const noop = defineAction({ name: 'noop', description: 'Nothing.', run: () => null });

  it('builds a registry from definitions in code, counting the same definition once', async () => {
    const echo = defineAction({
      name: 'echo',
      description: 'Echo.',
      args: z.object({ word: z.string() }),
      run: ({ args }) => args.word,
    });
    const registry = createActionRegistry([noop, echo, noop]);
    expect(registry.list().map((entry) => entry.name)).toEqual(['echo', 'noop']);
    expect(registry.get('noop')?.source).toEqual({ file: '(defined in code)', exportName: null, package: null });
    // An entry hands out a copy of the schema: changing it changes nothing for the next reader.
    const schema = registry.get('echo')?.argsJsonSchema as Record<string, unknown>;
    schema.required = [];
    expect(createActionRegistry([echo]).get('echo')?.argsJsonSchema).toMatchObject({ required: ['word'] });
    // list() returns a fresh array.
    registry.list().pop();
    expect(registry.list()).toHaveLength(2);
  });

  it('rejects two different definitions with one name', () => {
    const other = defineAction({ name: 'noop', description: 'Another.', run: () => 1 });
    expect(() => createActionRegistry([noop, other])).toThrow(
      'action "noop" is defined twice: in (defined in code) and in (defined in code); action names must be unique, rename one',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
