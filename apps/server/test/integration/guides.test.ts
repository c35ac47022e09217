// Runs every command and query of the user guides against real servers, so the guides cannot drift from Sundial.
//
// Which files: docs/getting-started.md, jobs.md, graphql.md, operating.md, writing-actions.md, and every other
// docs/*.md that carries a `<!-- guide-test: … -->` directive (opt-in: `<!-- guide-test: page -->` anywhere in it
// does nothing else). Each guide's blocks run in order, as a
// reader would follow them, against one real server (startTestApi: HTTP, GraphQL, engine; embedded PGlite, or the
// PostgreSQL at TEST_DATABASE_URL), with these variables set as the guides tell readers to set them:
//   SUNDIAL_URL    the server's URL            SUNDIAL_TOKEN   an admin's API token
//   SUNDIAL_AUTH__ADMIN_EMAIL / SUNDIAL_AUTH__ADMIN_PASSWORD   the first admin's credentials
//   JOB_ID, RUN_ID, USER_ID, ROLE_ID, CALENDAR_ID   the ids the guide's earlier blocks returned (last of each kind)
//
// How each fenced block is checked, by its language:
// - graphql: sent with the token. A ```json block right after it is its variables, unless its top level is
//   `{"data": …}`: that is the result the guide shows, and the real result must have its shape (same keys, same
//   types; ALL_CAPS values such as statuses and __typename, and booleans, exactly). No GraphQL errors, and no
//   typed error result (ValidationError …) unless the shown result has it too. `<JOB_ID>`, `<RUN_ID>`, … in the
//   query or variables are replaced by those ids. A subscription is opened over SSE and must send an event.
//   Before a block with a shown result that names <RUN_ID>, the run is given time to finish (as a reader would).
// - sh / bash: run with `bash -euo pipefail` in the guide's working folder (a fresh temporary folder whose
//   node_modules links to the repository's, so packages resolve as in a project). Output that is JSON must carry no errors and feeds the ids; a ```json block after
//   it with `{"data": …}` is the output's shape. Blocks whose commands are `npm ci` / `npm start` /
//   `npm run db:migrate` (with VAR=value prefixes) are instead checked as those commands: the variables go through
//   the real config loader; `npm start` starts the real server process (apps/server/src/main.ts — what
//   `npm start` runs after `scripts/prepare.mjs`, which the test tree has done) with them and the test's own
//   database and a free port in place of the guide's, waits for `Sundial is ready`, checks /healthz (and the
//   printed first-admin password, or jobs.enabled=false) and stops it with SIGTERM; `npm run db:migrate` runs the
//   migration CLI on the same database; `npm ci` is not run (it reinstalls what the test already runs on).
//   On PostgreSQL, the servers of one block run side by side on one database; embedded, one after another.
// - yaml: a sundial.yaml, loaded and validated by the real config loader. env: `KEY=value` lines, likewise.
// - js / ts / mjs: a block that calls defineAction is loaded by the real action loader (and must define one).
// - text: output shown to the reader; nothing to run.
// Directives, on the last non-blank line before a block (support/guide-blocks.ts parses them):
//   <!-- guide-test: skip: REASON -->          not run; the reason is required and said in the test's name
//   <!-- guide-test: config-only: REASON -->   an npm start block checked by the config loader only
//   <!-- guide-test: file NAME -->             save the js/ts block as NAME in the working folder (a later block
//                                               of the guide runs it: node NAME, npx vitest run …)
//   <!-- guide-test: prints TEXT -->           the sh block's output must contain TEXT
//   <!-- guide-test: args ACTION -->           a JSON block of args ACTION must accept
//   <!-- guide-test: postgres -->              a sh block of PostgreSQL tools (pg_dump …): run with DATABASE_URL set
//                                               to the test server's database when it is PostgreSQL; on embedded
//                                               runs it is listed as not run (it is run by TEST_DATABASE_URL runs)
// Any other block (no language, an unknown one, a js/ts fragment, a json block that is not variables or a result)
// fails until it is run or marked: every block is accounted for.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActions } from '../../src/actions/loader.js';
import { loadConfig } from '../../src/config/load.js';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { completion, spawnEntry, track } from '../support/children.js';
import { createTestDatabaseTarget, usingRealPostgres } from '../support/database.js';
import { waitFor } from '../support/engine.js';
import { guideFiles, readGuide, REPO, type GuideBlock } from '../support/guide-blocks.js';
import { killServer, spawnServer, type ServerProcess } from '../support/server-process.js';
import { subscribe } from '../support/subscribe.js';

const ID_KINDS = { job: 'JOB_ID', run: 'RUN_ID', user: 'USER_ID', role: 'ROLE_ID', calendar: 'CALENDAR_ID' } as const;
const ACTIVE_RUN = ['QUEUED', 'RUNNING', 'CANCELLING'];
// A ceiling for blocks that start servers on a loaded machine (see READY_TIMEOUT_MS), not an expectation.
const BLOCK_TIMEOUT = 600_000;

interface Guide {
  dir: string;
  ids: Record<string, string>;
}

/** What the test does with one block: a check to run, or a reason it is not run. */
type Plan =
  | { run: (guide: Guide) => Promise<void> }
  | { reason: string }
  /** Variables or a result shown for the block before it: checked by that block. */
  | { partOf: number };

let api: TestApi;

beforeAll(async () => {
  // docs/webhooks.md signs requests, which needs the server's key for hooks' secrets.
  api = await startTestApi({ webhooks: { secret_key: 'guides-webhook-key-0123456789abcdef01234567' } });
});
afterAll(() => api?.close());

// ---------------------------------------------------------------------------------------------------------------
// Running things

function exec(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // Tracked: a block still running when its test fails or times out is killed before the next test.
    track(execFile(file, args, { ...options, timeout: options.timeout ?? 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr + (error && typeof error.code !== 'number' ? `\n${error.message}` : '') });
    }));
  });
}

/** The test server's PostgreSQL URL (TEST_DATABASE_URL runs), for the guides' pg_dump blocks. */
function databaseUrl(): Record<string, string> {
  const url = api.app.database.pool.options.connectionString;
  return usingRealPostgres && url ? { DATABASE_URL: url } : {};
}

function readerEnv(guide: Guide): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...databaseUrl(),
    SUNDIAL_URL: api.url,
    SUNDIAL_TOKEN: api.adminToken,
    SUNDIAL_AUTH__ADMIN_EMAIL: ADMIN.email,
    SUNDIAL_AUTH__ADMIN_PASSWORD: ADMIN.password,
    ...guide.ids,
  };
}

const PLACEHOLDER = /<([A-Z]+_ID)>/g;

function substitute(text: string, guide: Guide, where: string): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const id = guide.ids[name];
    if (!id) throw new Error(`${where}: ${whole} is used before any earlier block of the guide returned one`);
    return id;
  });
}

/** Remembers the ids a response carries: `job { id }`, `run { id }`, … (the first of each kind in it). */
function collectIds(value: unknown, guide: Guide, seen = new Set<string>()): void {
  if (Array.isArray(value)) return value.forEach((item) => collectIds(item, guide, seen));
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const kind = ID_KINDS[key as keyof typeof ID_KINDS];
    if (kind && !seen.has(kind) && typeof child === 'object' && child !== null && typeof (child as { id?: unknown }).id === 'string') {
      guide.ids[kind] = (child as { id: string }).id;
      seen.add(kind);
    }
    collectIds(child, guide, seen);
  }
}

/** Typed error results (`ValidationError`, `NotFoundError`, …) anywhere in a response's data. */
function typedErrors(value: unknown, at = 'data'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => typedErrors(item, `${at}[${index}]`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own =
    (typeof record.__typename === 'string' && record.__typename.endsWith('Error')) || Array.isArray(record.fieldErrors)
      ? [`${at}: ${JSON.stringify(record)}`]
      : [];
  return [...own, ...Object.entries(record).flatMap(([key, child]) => typedErrors(child, `${at}.${key}`))];
}

/** Where the actual value differs from the shape the guide shows. */
function shapeProblems(expected: unknown, actual: unknown, at: string): string[] {
  if (expected === null) return [];
  if (actual === undefined) return [`${at}: missing`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length < expected.length) return [`${at}: expected at least ${expected.length} item(s), got ${actual.length}`];
    return expected.flatMap((item, index) => shapeProblems(item, actual[index], `${at}[${index}]`));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([key, value]) => shapeProblems(value, (actual as Record<string, unknown>)[key], `${at}.${key}`));
  }
  if (typeof expected !== typeof actual) return [`${at}: expected a ${typeof expected} like ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  const exact = typeof expected === 'boolean' || (typeof expected === 'string' && /^[A-Z][A-Z_]+$|Error$|Success$/.test(expected));
  return exact && expected !== actual ? [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`] : [];
}

function checkResponse(response: { data?: unknown; errors?: unknown }, shown: unknown, guide: Guide, where: string): void {
  expect(response.errors, `${where}: GraphQL errors`).toBeUndefined();
  const shownErrors = shown === undefined ? [] : typedErrors(shown);
  if (shownErrors.length === 0) expect(typedErrors(response.data), `${where}: typed error results`).toEqual([]);
  if (shown !== undefined) expect(shapeProblems(shown, response, 'result'), `${where}: the result differs from the one shown`).toEqual([]);
  collectIds(response.data, guide);
}

async function waitForRunToFinish(guide: Guide): Promise<void> {
  const runId = guide.ids.RUN_ID;
  if (!runId) return;
  await waitFor(
    async () => {
      const response = await api.gql<{ run: { status: string } | null }>('query ($id: ID!) { run(id: $id) { status } }', { id: runId });
      const status = response.data?.run?.status;
      return status !== undefined && !ACTIVE_RUN.includes(status);
    },
    60_000,
    `run ${runId} to finish`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Checks by kind of block

function graphqlCheck(block: GuideBlock, variablesText: string | null, shown: unknown): Plan {
  const where = `${block.file}:${block.line}`;
  return {
    async run(guide) {
      const query = substitute(block.code, guide, where);
      const variables = variablesText === null ? {} : (JSON.parse(substitute(variablesText, guide, where)) as object);
      if (/^\s*(#.*\n\s*)*subscription\b/.test(query)) {
        const subscription = await subscribe(api.url, query, variables, api.adminToken);
        try {
          const event = await subscription.next(30_000);
          expect(event.errors, `${where}: subscription errors`).toBeUndefined();
          expect(event.data, `${where}: subscription event`).toBeTruthy();
          collectIds(event.data, guide);
        } finally {
          subscription.close();
        }
        return;
      }
      if (shown !== undefined && `${query}${JSON.stringify(variables)}`.includes(guide.ids.RUN_ID ?? '\0')) await waitForRunToFinish(guide);
      checkResponse(await api.gql(query, variables), shown, guide, where);
    },
  };
}

function shellCheck(block: GuideBlock, shown: unknown): Plan {
  const where = `${block.file}:${block.line}`;
  const prints = block.directive?.kind === 'prints' ? block.directive.text : null;
  return {
    async run(guide) {
      if (shown !== undefined && block.code.includes('RUN_ID')) await waitForRunToFinish(guide);
      const { code, stdout, stderr } = await exec('bash', ['-euo', 'pipefail', '-c', block.code], { cwd: guide.dir, env: readerEnv(guide) });
      expect(code, `${where} exited with ${code}:\n${stderr}\n${stdout}`).toBe(0);
      if (prints !== null) expect(stdout, `${where}: the output`).toContain(prints);
      let output: unknown;
      try {
        output = JSON.parse(stdout);
      } catch {
        expect(shown, `${where}: the guide shows a JSON result but the output is not JSON:\n${stdout}`).toBeUndefined();
        return;
      }
      checkResponse(output as { data?: unknown; errors?: unknown }, shown, guide, where);
    },
  };
}

interface NpmLine {
  env: Record<string, string>;
  command: 'ci' | 'start' | 'migrate';
}

const NPM_COMMAND = /^npm (ci|start|run db:migrate)$/;

/** `VAR=value … npm start` lines (comments and continuations allowed); null when the block has none. */
function npmLines(block: GuideBlock): NpmLine[] | null {
  const logical = block.code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
  if (!logical.some((line) => /(^|\s)npm (ci|start|run db:migrate)\b/.test(line))) return null;
  return logical.flatMap((line) =>
    line.split(/\s*&&\s*/).map((part) => {
      const words = part.split(/\s+/);
      const env: Record<string, string> = {};
      while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
        const [name, ...value] = words.shift()!.split('=');
        env[name!] = value.join('=');
      }
      const command = NPM_COMMAND.exec(words.join(' '))?.[1];
      if (!command) throw new Error(`${block.file}:${block.line}: "${part}" is not a command this test knows how to check; mark the block`);
      return { env, command: command === 'run db:migrate' ? 'migrate' : (command as 'ci' | 'start') };
    }),
  );
}

/** The guide's variables through the real config loader, in an empty folder (no sundial.yaml). */
function validateEnv(env: Record<string, string>, where: string): void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-guide-config-'));
  try {
    expect(() => loadConfig({ env, cwd: folder }), `${where}: the config loader refuses ${JSON.stringify(env)}`).not.toThrow();
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

const REPLACED_BY_TEST = /^(DATABASE_URL|SUNDIAL_DATABASE__URL|SUNDIAL_DATABASE__DATA_DIR|SUNDIAL_SERVER__PORT|SUNDIAL_SERVER__HOST)$/;

function npmCheck(block: GuideBlock, lines: NpmLine[]): Plan {
  const where = `${block.file}:${block.line}`;
  const configOnly = block.directive?.kind === 'config-only';
  return {
    async run() {
      for (const line of lines) validateEnv(line.env, where);
      if (configOnly) return;
      const target = usingRealPostgres ? await createTestDatabaseTarget() : null;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-guide-data-'));
      const databaseEnv: Record<string, string> = target ? { SUNDIAL_DATABASE__URL: target.config.database.url } : { SUNDIAL_DATABASE__DATA_DIR: dataDir };
      const running: ServerProcess[] = [];
      try {
        for (const line of lines) {
          const env = {
            ...Object.fromEntries(Object.entries(line.env).filter(([name]) => !REPLACED_BY_TEST.test(name))),
            ...databaseEnv,
            SUNDIAL_SERVER__PORT: '0',
          };
          if (line.command === 'ci') continue;
          if (line.command === 'migrate') {
            const result = await completion(spawnEntry('migrate', [], { cwd: REPO, env }));
            expect(result.code, `${where}: npm run db:migrate failed:\n${result.stderr}`).toBe(0);
            continue;
          }
          const server = spawnServer({ cwd: REPO, env });
          running.push(server);
          const url = await server.ready;
          const health = await fetch(`${url}/healthz`);
          const report = (await health.json()) as { status: string; scheduler: { executesJobs: boolean } };
          expect(health.status, `${where}: /healthz of ${JSON.stringify(line.env)}: ${JSON.stringify(report)}`).toBe(200);
          expect(report.status).toBe('healthy');
          expect(report.scheduler.executesJobs).toBe(!/^(false|0|no|off)$/i.test(line.env.SUNDIAL_JOBS__ENABLED ?? 'true'));
          if (running.length === 1 && !line.env.SUNDIAL_AUTH__ADMIN_PASSWORD) {
            // A fresh database: the generated password is printed once, as the guides say.
            expect(server.stdout()).toMatch(/First admin created: \S+\n\s+Password: \S+/);
          }
          // Embedded, one process per data folder: stop it before the next. PostgreSQL: keep them side by side.
          if (!target) expect((await server.stop()).code, `${where}: exit after SIGTERM:\n${server.stderr()}`).toBe(0);
        }
        for (const server of running) expect((await server.stop()).code, `${where}: exit after SIGTERM:\n${server.stderr()}`).toBe(0);
      } finally {
        for (const server of running) await killServer(server);
        fs.rmSync(dataDir, { recursive: true, force: true });
        await target?.drop();
      }
    },
  };
}

function configCheck(block: GuideBlock): Plan {
  const where = `${block.file}:${block.line}`;
  return {
    async run() {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-guide-config-'));
      try {
        fs.writeFileSync(path.join(folder, 'sundial.yaml'), block.code);
        expect(() => loadConfig({ env: {}, cwd: folder }), `${where}: the config loader refuses this sundial.yaml`).not.toThrow();
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}

function envFileCheck(block: GuideBlock): Plan {
  const env = Object.fromEntries(
    block.code
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { run: async () => validateEnv(env, `${block.file}:${block.line}`) };
}

function argsCheck(block: GuideBlock, action: string): Plan {
  return {
    async run() {
      const registered = api.app.actions.get(action);
      expect(registered, `${block.file}:${block.line}: no action ${action}`).toBeDefined();
      const result = registered!.validateArgs(JSON.parse(block.code));
      expect(result.ok ? [] : result.errors, `${block.file}:${block.line}: ${action} refuses these args`).toEqual([]);
    },
  };
}

function scriptCheck(block: GuideBlock): Plan | null {
  const name = block.directive?.kind === 'file' ? block.directive.name : null;
  const isAction = /\bdefineAction\s*\(/.test(block.code);
  if (!name && !isAction) return null;
  const where = `${block.file}:${block.line}`;
  return {
    async run(guide) {
      if (isAction) {
        const folder = fs.mkdtempSync(path.join(guide.dir, '_action-'));
        fs.writeFileSync(path.join(folder, 'action.ts'), block.code);
        const registry = await loadActions({ dir: folder, packages: [] });
        expect(registry.list().length, `${where}: the block defines no action`).toBeGreaterThan(0);
      }
      if (!name) return;
      const file = path.join(guide.dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, block.code);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Planning: what each block of a guide is, decided before anything runs

const isResult = (text: string): boolean => {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && ('data' in value || 'errors' in value);
  } catch {
    return false;
  }
};

function planGuide(blocks: GuideBlock[]): Plan[] {
  const plans: Plan[] = [];
  for (let index = 0; index < blocks.length; index += 1) {
    const block = blocks[index]!;
    const where = `${block.file}:${block.line}`;
    if (block.directive?.kind === 'skip') {
      plans[index] = { reason: block.directive.reason };
      continue;
    }
    if (block.directive?.kind === 'postgres' && !usingRealPostgres) {
      plans[index] = { reason: 'PostgreSQL tools against the embedded database; run with TEST_DATABASE_URL to run it' };
      continue;
    }
    const next = blocks[index + 1];
    const takeResult = (at: number): unknown => {
      const candidate = blocks[at];
      if (candidate?.lang !== 'json' || candidate.directive || !isResult(candidate.code)) return undefined;
      plans[at] = { partOf: index };
      return JSON.parse(candidate.code) as unknown;
    };
    switch (block.lang) {
      case 'graphql': {
        let variables: string | null = null;
        if (next?.lang === 'json' && !next.directive && !isResult(next.code)) {
          variables = next.code;
          plans[index + 1] = { partOf: index };
        }
        const shown = takeResult(index + (variables === null ? 1 : 2));
        plans[index] = graphqlCheck(block, variables, shown);
        break;
      }
      case 'sh':
      case 'bash':
      case 'shell': {
        const lines = npmLines(block);
        plans[index] = lines ? npmCheck(block, lines) : shellCheck(block, takeResult(index + 1));
        break;
      }
      case 'yaml':
      case 'yml':
        plans[index] = configCheck(block);
        break;
      case 'env':
        plans[index] = envFileCheck(block);
        break;
      case 'json':
        if (plans[index]) break;
        if (block.directive?.kind !== 'args') throw new Error(`${where}: a JSON block that is neither variables nor a result needs a directive (args ACTION, or skip: REASON)`);
        plans[index] = argsCheck(block, block.directive.action);
        break;
      case 'text':
        plans[index] = { reason: 'output shown to the reader' };
        break;
      case 'js':
      case 'mjs':
      case 'ts': {
        const plan = scriptCheck(block);
        if (!plan) throw new Error(`${where}: a ${block.lang} block that defines no action and is saved nowhere needs a directive (file NAME, or skip: REASON)`);
        plans[index] = plan;
        break;
      }
      default:
        throw new Error(`${where}: a block in "${block.lang || 'no language'}" is not run; give it a language this test runs, or mark it (skip: REASON)`);
    }
    if (block.directive?.kind === 'config-only' && !(plans[index] && 'run' in plans[index]! && npmLines(block))) {
      throw new Error(`${where}: config-only is for blocks of npm start lines`);
    }
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------------------------

/** The guide's blocks and plans, or why they could not be made (a missing guide, an unmarked block). */
function prepare(name: string): { blocks: GuideBlock[]; plans: Plan[] } | { problem: Error } {
  try {
    const blocks = readGuide(name);
    return { blocks, plans: planGuide(blocks) };
  } catch (error) {
    return { problem: error as Error };
  }
}

describe.each(guideFiles())('docs/%s', (name) => {
  const prepared = prepare(name);
  if ('problem' in prepared) {
    it('can be read and every block is run or marked', () => {
      throw prepared.problem;
    });
    return;
  }
  const { blocks, plans } = prepared;
  const guide: Guide = { dir: '', ids: {} };

  beforeAll(() => {
    // A folder of its own that still finds the repository's packages (@sundial/actions, vitest), as a project would.
    guide.dir = fs.mkdtempSync(path.join(os.tmpdir(), `sundial-guide-${name.replace(/\.md$/, '')}-`));
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(guide.dir, 'node_modules'), 'dir');
  });
  afterAll(() => fs.rmSync(guide.dir, { recursive: true, force: true }));

  it('has blocks to check', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  blocks.forEach((block, index) => {
    const plan = plans[index]!;
    const title = `line ${block.line} (${block.lang})`;
    if ('partOf' in plan) return;
    if ('reason' in plan) {
      it(`${title} is not run: ${plan.reason}`, () => {
        expect(plan.reason.trim().length).toBeGreaterThan(3);
      });
      return;
    }
    it(title, () => plan.run(guide), BLOCK_TIMEOUT);
  });
});
