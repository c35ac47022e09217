// The server as users run it: a real process started like `npm start`, real HTTP, real signals. Its database is
// an embedded one in a temporary folder, or a fresh database on the PostgreSQL at TEST_DATABASE_URL when set.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseTarget, usingRealPostgres } from '../support/database.js';
import { killServer, linesOf, spawnServer, SPAWNING, type ServerProcess } from '../support/server-process.js';
import { until } from '../support/wait.js';

const LOCK_FILE = 'sundial.lock';
const FIXTURE_ACTIONS = fileURLToPath(new URL('../support/fixtures/actions', import.meta.url));

/** Where a server keeps its data in this run's mode, and a way to reach that data while no server runs. */
interface ServerDatabase {
  env: Record<string, string>;
  /** The embedded data folder, or null on PostgreSQL. */
  dataDir: string | null;
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

async function serverDatabase(folder: string): Promise<ServerDatabase> {
  if (!usingRealPostgres) {
    const dataDir = path.join(folder, 'data');
    return {
      env: { SUNDIAL_DATABASE__DATA_DIR: dataDir },
      dataDir,
      async query<R>(sql: string, params: unknown[] = []) {
        const db = await PGlite.create(dataDir);
        try {
          return (await db.query<R>(sql, params)).rows;
        } finally {
          await db.close();
        }
      },
      drop: async () => {},
    };
  }
  const target = await createTestDatabaseTarget();
  const url = target.config.database.url;
  return {
    env: { SUNDIAL_DATABASE__URL: url },
    dataDir: null,
    async query<R>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as R[];
      } finally {
        await client.end();
      }
    },
    drop: () => target.drop(),
  };
}

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

const HEALTHY = {
  status: 'healthy',
  database: { up: true, mode: usingRealPostgres ? 'external' : 'embedded' },
  scheduler: { up: true, state: 'running', backend: 'postgres', executesJobs: true },
  queuesWithoutWorker: [],
};

/** A message on its own line, without a stack trace under it. */
function expectOneLine(stderr: string): string {
  const lines = linesOf(stderr);
  expect(lines, `expected one line on stderr, got:\n${stderr}`).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

let folder: string;
/** An empty actions folder: these tests are about the server, not about loading actions. */
let actionsDir: string;
const servers: ServerProcess[] = [];

function start(env: Record<string, string>, cwd = folder): ServerProcess {
  const server = spawnServer({ cwd, env: { SUNDIAL_SERVER__PORT: '0', SUNDIAL_ACTIONS__DIR: actionsDir, ...env } });
  servers.push(server);
  return server;
}

beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-server-'));
  actionsDir = path.join(folder, 'actions');
  fs.mkdirSync(actionsDir);
});

afterEach(async () => {
  // A failed test must not leave a server running.
  await Promise.all(servers.splice(0).map(killServer));
});

afterAll(() => {
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

describe('a server on its own database', SPAWNING, () => {
  let database: ServerDatabase;
  let cwd: string;

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(folder, 'life-'));
    database = await serverDatabase(cwd);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('starts, answers /healthz and GraphQL, and stops cleanly on SIGTERM', async () => {
    const server = start(database.env, cwd);
    const url = await server.ready;
    expect(server.stdout()).toMatch(/migrations: applied \S+_init/);
    if (database.dataDir) expect(fs.readFileSync(path.join(database.dataDir, LOCK_FILE), 'utf8')).toBe(String(server.pid));

    expect(await getJson(`${url}/healthz`)).toEqual({ status: 200, body: HEALTHY });

    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { health: { status: 'healthy' } } });

    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain('SIGTERM: shutting down');
    expect(server.stderr()).toBe('');
    if (database.dataDir) expect(fs.existsSync(path.join(database.dataDir, LOCK_FILE))).toBe(false);
  });

  it('keeps its data across a restart and does not migrate again', async () => {
    const migrationsBefore = await database.query<{ id: string; migration_name: string }>(
      'SELECT id, migration_name FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(migrationsBefore.length).toBeGreaterThan(0);
    const userId = crypto.randomUUID();
    await database.query(`INSERT INTO users (id, email, name, updated_at) VALUES ($1, 'kept@example.com', 'Kept', now())`, [
      userId,
    ]);

    const server = start(database.env, cwd);
    const url = await server.ready;
    expect(server.stdout()).toContain(`migrations: up to date (${migrationsBefore.length} applied)`);
    // A later start names the admin instead of printing a password again.
    expect(server.stdout()).toMatch(/auth: admin account\(s\): \S+@\S+/);
    expect(server.stdout()).not.toContain('Password:');
    expect(await getJson(`${url}/healthz`)).toEqual({ status: 200, body: HEALTHY });
    expect(await server.stop('SIGINT')).toEqual({ code: 0, signal: null });

    expect(await database.query('SELECT email FROM users WHERE id = $1', [userId])).toEqual([{ email: 'kept@example.com' }]);
    expect(
      await database.query('SELECT id, migration_name FROM "_prisma_migrations" ORDER BY migration_name'),
    ).toEqual(migrationsBefore);
  });
});

describe('shutdown with a run in progress', SPAWNING, () => {
  // A real run keeps the shutdown busy for its grace period: actions from the fixtures folder, one of which holds
  // its run open, dispatched over GraphQL as an integrator would.
  const PASSWORD = 'shutdown-test-password-1';
  let database: ServerDatabase;
  let cwd: string;

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(folder, 'shutdown-'));
    database = await serverDatabase(cwd);
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function graphql(url: string, query: string, variables: Record<string, unknown>, cookie = '') {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { response, body: (await response.json()) as { data?: Record<string, { __typename?: string }>; errors?: unknown } };
  }

  /** Starts a server, signs in as the first admin and starts a run of test.hold; resolves once it runs. */
  async function startWithRunInProgress(env: Record<string, string> = {}) {
    const marker = path.join(cwd, `run-${crypto.randomUUID()}.started`);
    const server = start(
      { ...database.env, SUNDIAL_ACTIONS__DIR: FIXTURE_ACTIONS, SUNDIAL_AUTH__ADMIN_PASSWORD: PASSWORD, ...env },
      cwd,
    );
    const url = await server.ready;
    const signIn = await graphql(url, 'mutation ($email: String!, $password: String!) { signIn(email: $email, password: $password) { email } }', {
      email: 'admin@localhost',
      password: PASSWORD,
    });
    expect(signIn.body.errors, JSON.stringify(signIn.body)).toBeUndefined();
    const cookie = (signIn.response.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).not.toBe('');
    const dispatch = await graphql(
      url,
      'mutation ($input: DispatchInput!) { dispatch(input: $input) { __typename } }',
      { input: { action: 'test.hold', args: { marker, ms: 600_000 } } },
      cookie,
    );
    expect(dispatch.body.data?.dispatch?.__typename, JSON.stringify(dispatch.body)).toBe('MutationDispatchSuccess');
    await until('the run to start (its marker file)', () => fs.existsSync(marker), 60_000);
    return server;
  }

  it('waits for the run, and a second signal exits at once with code 130', async () => {
    const server = await startWithRunInProgress();
    server.child.kill('SIGTERM');
    await server.printed(/SIGTERM: shutting down/);
    // The run holds for ten minutes and the grace period is 30 s: the process is still waiting for it.
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 130, signal: null });
    expect(server.stderr()).toContain('SIGINT again: exiting now');
  });

  it('gives up on the run after server.shutdown_grace_seconds, says so, and exits 0', async () => {
    const server = await startWithRunInProgress({ SUNDIAL_SERVER__SHUTDOWN_GRACE_SECONDS: '1' });
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toContain('running jobs get 1s');
    expect(server.stderr()).toContain('1 running job(s) did not finish within the grace period');
    if (database.dataDir) expect(fs.existsSync(path.join(database.dataDir, LOCK_FILE))).toBe(false);
  });
});

describe('start-up failures', SPAWNING, () => {
  it('a bad config value: exit 1 and one line naming the key, the value and what is allowed', async () => {
    const server = start({ SUNDIAL_SERVER__PORT: 'abc', SUNDIAL_DATABASE__DATA_DIR: path.join(folder, 'unused') });
    expect((await server.exited).code).toBe(1);
    expect(expectOneLine(server.stderr())).toBe(
      'sundial: cannot start: server.port = "abc" (from SUNDIAL_SERVER__PORT): must be a whole number from 0 to 65535',
    );
    expect(fs.existsSync(path.join(folder, 'unused'))).toBe(false);
  });

  it('a bad value in sundial.yaml: one line naming the key and the file', async () => {
    const cwd = fs.mkdtempSync(path.join(folder, 'yaml-'));
    fs.writeFileSync(path.join(cwd, 'sundial.yaml'), 'jobs:\n  enabled: maybe\n');
    const server = start({}, cwd);
    expect((await server.exited).code).toBe(1);
    const line = expectOneLine(server.stderr());
    expect(line).toContain('jobs.enabled = "maybe"');
    expect(line).toContain(path.join(cwd, 'sundial.yaml'));
  });

  it('an unreachable database: exit 1 and one line naming the host, without the password', async () => {
    const server = start({ SUNDIAL_DATABASE__URL: 'postgres://nobody:hunter2@127.0.0.1:1/x' });
    expect((await server.exited).code).toBe(1);
    const line = expectOneLine(server.stderr());
    expect(line).toContain('database.url');
    expect(line).toContain('127.0.0.1:1');
    expect(line).not.toContain('hunter2');
  });

  it('an unreachable MongoDB queue: exit 1, one line naming scheduler.url without the password, the database released', async () => {
    const cwd = fs.mkdtempSync(path.join(folder, 'mongodb-'));
    const database = await serverDatabase(cwd);
    try {
      const server = start({ ...database.env, SUNDIAL_SCHEDULER__URL: 'mongodb://nobody:hunter2@127.0.0.1:1/queue' }, cwd);
      expect((await server.exited).code).toBe(1);
      const line = expectOneLine(server.stderr());
      expect(line).toContain('scheduler.url');
      expect(line).toContain('127.0.0.1:1');
      expect(line).not.toContain('hunter2');
      if (database.dataDir) expect(fs.existsSync(path.join(database.dataDir, LOCK_FILE))).toBe(false);
    } finally {
      await database.drop();
    }
  });

  it('a port in use: exit 1, one line naming server.port, and the database released', async () => {
    const cwd = fs.mkdtempSync(path.join(folder, 'port-'));
    const database = await serverDatabase(cwd);
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      const server = start({ ...database.env, SUNDIAL_SERVER__PORT: String(port) }, cwd);
      expect((await server.exited).code).toBe(1);
      const line = expectOneLine(server.stderr());
      expect(line).toContain('server.port');
      expect(line).toContain(String(port));
      if (database.dataDir) expect(fs.existsSync(path.join(database.dataDir, LOCK_FILE))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await database.drop();
    }
  });
});

// The embedded mode's own guarantees; they hold whatever TEST_DATABASE_URL says.
describe('the embedded data folder', SPAWNING, () => {
  it('refuses a second server on the same folder with one line naming database.data_dir; the first keeps serving', async () => {
    const dataDir = path.join(folder, 'shared-data');
    const first = start({ SUNDIAL_DATABASE__DATA_DIR: dataDir });
    const url = await first.ready;

    const second = start({ SUNDIAL_DATABASE__DATA_DIR: dataDir });
    expect((await second.exited).code).toBe(1);
    const line = expectOneLine(second.stderr());
    expect(line).toContain(`database.data_dir ${dataDir} is in use by process ${first.pid}`);

    expect((await getJson(`${url}/healthz`)).status).toBe(200);
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(first.pid));
    expect(await first.stop()).toEqual({ code: 0, signal: null });
  });

  it('starts again after a server on it was killed, taking over its stale lock and keeping the data', async () => {
    const dataDir = path.join(folder, 'killed-data');
    const first = start({ SUNDIAL_DATABASE__DATA_DIR: dataDir });
    await first.ready;
    expect(await first.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(String(first.pid));

    const second = start({ SUNDIAL_DATABASE__DATA_DIR: dataDir });
    const url = await second.ready;
    expect(second.stdout()).toContain('migrations: up to date');
    expect(await getJson(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'healthy' } });
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});
