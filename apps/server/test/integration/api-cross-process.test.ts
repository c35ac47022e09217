// Live updates across processes, as deployed at scale: an API process (jobs.enabled=false) and a worker process
// (jobs.enabled=true), two real servers started like `npm start`, on one real PostgreSQL. A client subscribed to the
// API process sees the run the worker executes — its status and its whole log, in order — and job changes made
// through the worker's API. Always on PostgreSQL (the embedded database serves one process): the fresh database
// is made on TEST_DATABASE_URL, or on the PostgreSQL every development and CI machine runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';
import { AuthService } from '../../src/services/auth/auth-service.js';
import { testConfig } from '../support/database.js';
import { killServer, spawnServer, SPAWNING, type ServerProcess } from '../support/server-process.js';
import { subscribe } from '../support/subscribe.js';

const BASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ACTIONS_DIR = path.resolve('apps/server/test/fixtures/api-actions');
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

describe('subscriptions across processes (PostgreSQL LISTEN/NOTIFY)', SPAWNING, () => {
  const name = `sundial_test_${crypto.randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
  let folder: string;
  let apiProcess: ServerProcess | undefined;
  let worker: ServerProcess | undefined;
  let apiUrl: string;
  let workerUrl: string;
  let database: Database;
  let token: string;

  const start = (jobsEnabled: boolean) =>
    spawnServer({
      cwd: folder,
      env: {
        SUNDIAL_DATABASE__URL: url,
        SUNDIAL_SERVER__PORT: '0',
        SUNDIAL_JOBS__ENABLED: String(jobsEnabled),
        SUNDIAL_JOBS__HEARTBEAT_MS: '200',
        SUNDIAL_SCHEDULER__PROCESS_EVERY_MS: '100',
        SUNDIAL_ACTIONS__DIR: ACTIONS_DIR,
        SUNDIAL_AUTH__ADMIN_EMAIL: ADMIN.email,
        SUNDIAL_AUTH__ADMIN_PASSWORD: ADMIN.password,
      },
    });

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-xproc-'));
    // One after the other: the first migrates and creates the first admin.
    apiProcess = start(false);
    apiUrl = await apiProcess.ready;
    worker = start(true);
    workerUrl = await worker.ready;
    const config = testConfig({ database: { url, pool_size: 2 } });
    database = await openDatabase(config);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    token = (await new AuthService({ prisma: database.prisma, pool: database.pool, settings: config.auth }).createApiToken(user.id, { name: 'cross-process test' })).secret;
  }, 240_000);

  afterAll(async () => {
    await Promise.all([apiProcess?.stop(), worker?.stop()]);
    await Promise.all([killServer(apiProcess), killServer(worker)]);
    await database?.close();
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function gql<T>(base: string, query: string, variables: object = {}): Promise<T> {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  }

  it('shows an API-process client the status and the whole log of a run a worker process executes', async () => {
    const health = await gql<{ health: { scheduler: { executesJobs: boolean } } }>(apiUrl, '{ health { scheduler { executesJobs } } }');
    expect(health.health.scheduler.executesJobs).toBe(false);

    const created = await gql<{ createJob: { job: { id: string } } }>(
      apiUrl,
      /* GraphQL */ `mutation { createJob(input: { name: "Across", action: "test.steps", args: { steps: 40, stepMs: 20 } }) {
        ... on MutationCreateJobSuccess { job { id } } } }`,
    );
    const jobId = created.createJob.job.id;
    const ofJob = await subscribe<{ runsOfJob: { id: string; status: string } | null }>(
      apiUrl,
      /* GraphQL */ `subscription S($id: ID!) { runsOfJob(jobId: $id) { id status } }`,
      { id: jobId },
      token,
    );
    const jobEvents = await subscribe<{ jobUpdated: { job: { name: string } | null } }>(
      apiUrl,
      /* GraphQL */ `subscription S($id: ID!) { jobUpdated(jobId: $id) { job { name } } }`,
      { id: jobId },
      token,
    );
    try {
      // The API process only records the run and queues it; the worker claims and executes it.
      const started = await gql<{ runJobNow: { run: { id: string } } }>(
        apiUrl,
        /* GraphQL */ `mutation R($id: ID!) { runJobNow(id: $id) { ... on MutationRunJobNowSuccess { run { id } } } }`,
        { id: jobId },
      );
      const runId = started.runJobNow.run.id;
      const log = await subscribe<{ runLogLines: { lines: { sequence: number; message: string }[] } }>(
        apiUrl,
        /* GraphQL */ `subscription L($id: ID!) { runLogLines(runId: $id) { lines { sequence message } } }`,
        { id: runId },
        token,
      );
      const status = await subscribe<{ runUpdated: { status: string } | null }>(
        apiUrl,
        /* GraphQL */ `subscription S($id: ID!) { runUpdated(runId: $id) { status } }`,
        { id: runId },
        token,
      );
      try {
        await status.waitFor((event) => event.data?.runUpdated?.status === 'RUNNING', 60_000, 'RUNNING from the worker');
        await status.waitFor((event) => event.data?.runUpdated?.status === 'SUCCEEDED', 60_000, 'SUCCEEDED from the worker');
        await ofJob.waitFor((event) => event.data?.runsOfJob?.status === 'SUCCEEDED', 60_000, 'the job feed');
        const lines = () => log.events.flatMap((event) => event.data!.runLogLines.lines);
        await log.waitFor(() => lines().length >= 40, 60_000, '40 log lines');
        expect(lines().map((line) => line.sequence)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
        expect(lines()[39]!.message).toBe('step 40');
      } finally {
        log.close();
        status.close();
      }
      const run = await database.prisma.run.findUniqueOrThrow({ where: { id: runId } });
      expect(run.workerId).toContain(`:${worker!.pid}:`);

      // And the other way: a change made through the worker's API reaches a subscriber of the API process.
      await gql(workerUrl, /* GraphQL */ `mutation U($id: ID!) { updateJob(id: $id, input: { name: "Across, renamed" }) { __typename } }`, { id: jobId });
      await jobEvents.waitFor((event) => event.data?.jobUpdated.job?.name === 'Across, renamed', 60_000, 'the rename from the worker');
    } finally {
      ofJob.close();
      jobEvents.close();
    }
  });
});
