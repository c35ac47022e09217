// The real CLI (apps/server/src/cli/sundial.ts, compiled once per test run; apps/server/bin/sundial.mjs, what
// `npx sundial` and `npm run sundial` run, is checked too) as a child process on this file's own database: import,
// dry run, refusal with every problem on its own line and nothing changed, export to a file, usage errors, and the
// clear refusal while the embedded database is held by another process. A CLI still running when its test fails
// or times out is killed before the next test (setup-children.ts), so it never holds the data folder over.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { openDatabase } from '../../src/db/database.js';
import { childEnv, completion, spawnEntry, track } from '../support/children.js';
import { createTestDatabaseTarget, type TestDatabaseTarget } from '../support/database.js';
import { REPO_ROOT } from '../support/processes.js';
import { SPAWNING } from '../support/server-process.js';

const LAUNCHER = path.join(REPO_ROOT, 'apps/server/bin/sundial.mjs');

type Result = Awaited<ReturnType<typeof completion>>;

/** Runs the CLI with only the environment given (plus PATH and the like), in `cwd`. */
function cli(args: string[], env: Record<string, string>, cwd: string): Promise<Result> {
  return completion(spawnEntry('cli', args, { cwd, env }));
}

/** Runs the CLI as users start it: bin/sundial.mjs (prepare, then tsx over the source). */
function launcher(args: string[], env: Record<string, string>, cwd: string): Promise<Result> {
  return completion(track(spawn(process.execPath, [LAUNCHER, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })));
}

const GOOD = `version: 1
roles:
  - name: night-shift
    permissions: [JOBS_READ]
users:
  - email: nia@example.com
    name: Nia
    roles: [night-shift]
jobs:
  - key: nightly-noop
    name: Nightly no-op
    action: examples.noop
    targetUsers: [nia@example.com]
    schedule: { kind: CRON, cron: "0 2 * * *", timezone: UTC }
`;

const BAD = `jobs:
  - key: a
    name: A
    action: no.such.action
  - key: b
    name: B
    action: examples.noop
    schedule: { kind: INTERVAL, intervalSeconds: 0 }
    targetRoles: [nobody]
`;

describe('sundial CLI', SPAWNING, () => {
  let target: TestDatabaseTarget;
  let folder: string;
  let env: Record<string, string>;
  const run = (...args: string[]) => cli(args, env, folder);
  /** The audit log's import events, read once the CLI has exited (the embedded database serves one process). */
  const importEvents = async () => {
    const database = await openDatabase(configSchema.parse({ database: target.inMemory ? { data_dir: path.join(folder, 'data') } : { url: target.config.database.url } }));
    try {
      return await database.prisma.auditEvent.findMany({ where: { action: 'importDefinitions' }, orderBy: { id: 'asc' } });
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-cli-'));
    target = await createTestDatabaseTarget();
    env = {
      SUNDIAL_ACTIONS__DIR: path.join(REPO_ROOT, 'actions'),
      SUNDIAL_LOG__LEVEL: 'warn',
      // The first admin's password is chosen, not generated and printed: whichever test writes first, no stdout of
      // a later one carries that notice, so each test stands alone when another failed.
      SUNDIAL_AUTH__ADMIN_PASSWORD: 'definitions-cli-password-1',
      ...(target.inMemory ? { SUNDIAL_DATABASE__DATA_DIR: path.join(folder, 'data') } : { SUNDIAL_DATABASE__URL: target.config.database.url }),
    };
    fs.writeFileSync(path.join(folder, 'good.yaml'), GOOD);
    fs.writeFileSync(path.join(folder, 'bad.yaml'), BAD);
  });
  afterAll(async () => {
    await target.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('imports a document (after a dry run that changes nothing), then reports it unchanged', async () => {
    const dry = await run('import', 'good.yaml', '--dry-run');
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run, nothing changed\. Would apply good\.yaml: roles: 1 created.*jobs: 1 created/);
    expect((await run('export')).stdout).not.toContain('nightly-noop');

    const applied = await run('import', 'good.yaml');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('  created job nightly-noop\n');
    expect(applied.stdout).toContain('  created user nia@example.com\n');

    const again = await run('import', 'good.yaml');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('jobs: 0 created, 0 updated, 1 unchanged');

    // Each import (not the dry run) is in the audit log: actor CLI with the OS user and host, and what changed.
    const events = await importEvents();
    expect(events).toHaveLength(2);
    const who = `${os.userInfo().username}@${os.hostname()}`;
    expect(events[0]).toMatchObject({ actorKind: 'CLI', actorId: null, actorLabel: `sundial import good.yaml (${who})`, outcome: 'SUCCESS' });
    expect(events[0]!.details).toMatchObject({
      source: 'good.yaml',
      osUser: os.userInfo().username,
      host: os.hostname(),
      prune: false,
      roles: { counts: { created: 1 }, created: ['night-shift'] },
      users: { counts: { created: 1 }, created: ['nia@example.com'] },
      jobs: { counts: { created: 1, updated: 0, deleted: 0, unchanged: 0 }, created: ['nightly-noop'] },
    });
    expect(events[1]!.details).toMatchObject({ jobs: { counts: { created: 0, unchanged: 1 }, created: [] } });
  });

  it('refuses an invalid document with every problem on its own line, exit code 1, nothing changed', async () => {
    const before = (await run('export', '--format', 'json')).stdout;
    const refused = await run('import', 'bad.yaml');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const lines = refused.stderr.trim().split('\n');
    expect(lines[0]).toBe('sundial import: bad.yaml was refused, nothing was changed (3 problem(s)):');
    expect(lines.slice(1).map((line) => line.split(':')[0])).toEqual(['jobs[0].action', 'jobs[1].targetRoles[0]', 'jobs[1].schedule.intervalSeconds']);
    expect((await run('export', '--format', 'json')).stdout).toBe(before);
    const refusal = (await importEvents()).at(-1)!;
    expect(refusal).toMatchObject({ actorKind: 'CLI', outcome: 'FAILURE' });
    expect(refusal.details).toMatchObject({ source: 'bad.yaml', problemCount: 3, problems: [{ field: 'jobs[0].action' }, { field: 'jobs[1].targetRoles[0]' }, { field: 'jobs[1].schedule.intervalSeconds' }] });
  });

  it('exports to a file (format from its name) and to stdout; unknown keys and bad usage are errors', async () => {
    // The job the first test imported; imported here too (unchanged then) so this test stands alone.
    expect((await run('import', 'good.yaml')).code).toBe(0);
    const written = await run('export', '--out', 'out.json', '--job', 'nightly-noop');
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('Wrote 1 job(s), 1 user(s), 1 role(s) to out.json');
    const document = JSON.parse(fs.readFileSync(path.join(folder, 'out.json'), 'utf8')) as { jobs: { key: string; targetUsers: string[] }[] };
    expect(document.jobs).toEqual([expect.objectContaining({ key: 'nightly-noop', targetUsers: ['nia@example.com'] })]);

    const yaml = await run('export');
    expect(parseYaml(yaml.stdout)).toMatchObject({ version: 1, jobs: [{ key: 'nightly-noop' }] });

    const unknown = await run('export', '--job', 'nope');
    expect(unknown).toMatchObject({ code: 1, stderr: 'sundial export: --job: no job with key "nope"\n' });
    const usage = await run('import');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/import takes one file/);
    expect((await run('frobnicate')).code).toBe(2);
    // The launcher users run reaches the same CLI.
    expect(await launcher(['frobnicate'], env, folder)).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect((await run('export', '--format', 'xml')).stderr).toMatch(/--format must be yaml or json/);
  });

  it('says what to do when a server holds the embedded database', async () => {
    // An embedded database of its own, held by this test process as a running server would hold it.
    const dataDir = path.join(folder, 'held');
    const held = await openDatabase(configSchema.parse({ database: { data_dir: dataDir } }));
    try {
      const refused = await cli(['export'], { ...env, SUNDIAL_DATABASE__URL: '', SUNDIAL_DATABASE__DATA_DIR: dataDir }, folder);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`database.data_dir ${dataDir} is in use by process ${process.pid}`);
      expect(refused.stderr).toContain('use the GraphQL API while it runs (exportDefinitions, importDefinitions');
    } finally {
      await held.close();
    }
  });
});
