// Real worker processes for the failure tests: the real server (apps/server/src/main.ts as `npm start` runs it,
// compiled once per test run; cwd = the repository root) started as a child process on a test's own database,
// killed or stopped with real signals. Every worker is remembered so a test's afterEach can SIGKILL whatever a
// failure left behind (and setup-children.ts kills whatever a test started, whatever its outcome).
//
// The database is shared the way a deployment shares it: on PostgreSQL (TEST_DATABASE_URL) any number of workers
// and this test process use one fresh database at once. The embedded database (PGlite) is single-process: its data
// folder is opened by one process at a time, so a test reads it in-process only while no child holds it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { createLogger } from '../../src/lib/logger.js';
import { isTerminal } from '../../src/services/run-status.js';
import { createTestDatabaseTarget, testConfig, usingRealPostgres } from './database.js';
import { spawnServer, type ServerProcess } from './server-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const FIXTURE_ACTIONS = 'apps/server/test/fixtures/actions';

/** Engine timings every worker of a failure test uses: fast heartbeats, a short time to declare a worker lost. */
export const FAILURE_TIMINGS = {
  heartbeatMs: 200,
  staleAfterMs: 1500,
  processEveryMs: 100,
};

export type WorkerProcess = ServerProcess;

const workers = new Set<WorkerProcess>();

/** Starts the real server with exactly these settings (none leak in from the test runner's environment). */
export function spawnWorker(name: string, env: Record<string, string>): WorkerProcess {
  const worker = spawnServer({ cwd: REPO_ROOT, env, name });
  workers.add(worker);
  void worker.exited.then(() => workers.delete(worker));
  return worker;
}

/** SIGKILLs every worker still running (a test that failed half-way) and waits for them to be gone. */
export async function killWorkers(): Promise<void> {
  await Promise.all([...workers].map((worker) => worker.stop('SIGKILL')));
}

/** A server started inside the test process on the same database (the embedded mode's way to look inside). */
export type InProcessApp = App;

export interface WorkerDatabase {
  mode: 'postgres' | 'embedded';
  /** The environment of a worker on this database; `extra` adds or overrides SUNDIAL_* settings. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Spawns a worker process on this database. */
  spawn(name: string, extra?: Record<string, string>): WorkerProcess;
  /**
   * Starts the app in this process on this database: execute=false gives the services only (an API process),
   * execute=true a full worker. Embedded: only while no child holds the data folder (its lock refuses otherwise).
   * staleAfterMs overrides FAILURE_TIMINGS' (jobs.stale_after_ms).
   */
  open(options: { execute: boolean; staleAfterMs?: number }): Promise<InProcessApp>;
  drop(): Promise<void>;
}

/** A fresh database for one test file: a new PostgreSQL database, or a new embedded data folder. */
export async function createWorkerDatabase(): Promise<WorkerDatabase> {
  const target = usingRealPostgres ? await createTestDatabaseTarget() : null;
  const dataDir = target ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-failure-'));
  const databaseEnv: Record<string, string> = target
    ? { SUNDIAL_DATABASE__URL: target.config.database.url }
    : { SUNDIAL_DATABASE__DATA_DIR: dataDir! };
  const env = (extra: Record<string, string> = {}) => ({
    SUNDIAL_SERVER__PORT: '0',
    SUNDIAL_LOG__LEVEL: 'info',
    SUNDIAL_ACTIONS__DIR: FIXTURE_ACTIONS,
    SUNDIAL_JOBS__HEARTBEAT_MS: String(FAILURE_TIMINGS.heartbeatMs),
    SUNDIAL_JOBS__STALE_AFTER_MS: String(FAILURE_TIMINGS.staleAfterMs),
    SUNDIAL_SCHEDULER__PROCESS_EVERY_MS: String(FAILURE_TIMINGS.processEveryMs),
    SUNDIAL_SERVER__SHUTDOWN_GRACE_SECONDS: '30',
    ...databaseEnv,
    ...extra,
  });
  return {
    mode: target ? 'postgres' : 'embedded',
    env,
    spawn: (name, extra) => spawnWorker(name, env(extra)),
    async open({ execute, staleAfterMs = FAILURE_TIMINGS.staleAfterMs }) {
      const config = testConfig({
        server: { port: 0 },
        database: target ? { url: target.config.database.url } : { data_dir: dataDir! },
        actions: { dir: path.join(REPO_ROOT, FIXTURE_ACTIONS) },
        jobs: { enabled: execute, heartbeat_ms: FAILURE_TIMINGS.heartbeatMs, stale_after_ms: staleAfterMs },
        scheduler: { process_every_ms: FAILURE_TIMINGS.processEveryMs },
      });
      return startApp(config, { logger: createLogger('error') });
    },
    async drop() {
      await target?.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One line of the fixture.record file: an execution that started, or one that got to its end. */
export interface ExecutionRecord {
  phase: 'start' | 'end';
  runId: string;
  attempt: number;
  pid: number;
}

export function readRecords(file: string): ExecutionRecord[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [phase, runId, attempt, pid] = line.split(' ');
      return { phase: phase as ExecutionRecord['phase'], runId: runId!, attempt: Number(attempt), pid: Number(pid) };
    });
}

export { until } from './wait.js';

/**
 * The shared frame of a failure-test file: its own worker database, a folder for record files, and (PostgreSQL) an
 * API-only app in this process to set up and read state while workers run; workers are killed after each test,
 * everything is dropped after the file. `afterEachTest` runs after the workers are killed.
 */
export interface WorkerSuite {
  readonly db: WorkerDatabase;
  /** PostgreSQL only: several processes can share the database. Null in embedded mode. */
  readonly api: InProcessApp | null;
  readonly folder: string;
  /** The services on this database: the API app, or (embedded, no worker running) the data folder opened for fn. */
  withServices<T>(fn: (app: InProcessApp) => Promise<T>): Promise<T>;
}

export function workerSuite(folderPrefix: string, afterEachTest?: () => Promise<void>): WorkerSuite {
  let db: WorkerDatabase | undefined;
  let api: InProcessApp | null = null;
  let folder: string | undefined;
  beforeAll(async () => {
    db = await createWorkerDatabase();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
    if (db.mode === 'postgres') api = await db.open({ execute: false });
  });
  afterEach(async () => {
    await killWorkers();
    await afterEachTest?.();
  });
  afterAll(async () => {
    await killWorkers();
    await api?.close(0);
    await db?.drop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });
  return {
    get db() {
      if (!db) throw new Error('the worker database is opened in beforeAll');
      return db;
    },
    get api() {
      return api;
    },
    get folder() {
      if (!folder) throw new Error('the record folder is made in beforeAll');
      return folder;
    },
    async withServices(fn) {
      if (api) return fn(api);
      const app = await this.db.open({ execute: false });
      try {
        return await fn(app);
      } finally {
        await app.close(0);
      }
    },
  };
}

/**
 * Waits a random part of `ms`: the failure tests stop or kill a worker at a random point of a run. The point is
 * the subject of the test, not a stand-in for a signal; whatever the test waits for, it waits on `until`.
 */
export const randomPointWithin = (ms: number): Promise<number> => {
  const delay = Math.floor(Math.random() * ms);
  return new Promise((resolve) => setTimeout(() => resolve(delay), delay));
};

/**
 * What must hold after every failure test, as a list of problems (empty when sound), for these jobs' runs:
 * every run ended in a terminal status; each run's log sequences are 1..n with n its logSequence; no schedule
 * slot has two runs; and, from the record file, no attempt executed twice — a re-execution is only ever a
 * visible later attempt of the same run, and a succeeded run's final attempt started and ended exactly once.
 */
export async function runProblems(prisma: App['database']['prisma'], jobIds: string[], records: ExecutionRecord[]): Promise<string[]> {
  const problems: string[] = [];
  const runs = await prisma.run.findMany({ where: { jobId: { in: jobIds } }, orderBy: { createdAt: 'asc' } });
  const byId = new Map(runs.map((run) => [run.id, run]));
  const lines = await prisma.runLogLine.findMany({
    where: { runId: { in: runs.map((run) => run.id) } },
    select: { runId: true, sequence: true, message: true },
    orderBy: [{ runId: 'asc' }, { sequence: 'asc' }],
  });
  const sequences = new Map<string, number[]>();
  for (const line of lines) sequences.set(line.runId, [...(sequences.get(line.runId) ?? []), line.sequence]);
  const logOf = (runId: string) => lines.filter((line) => line.runId === runId).map((line) => `${line.sequence}: ${line.message}`);

  const slots = new Set<string>();
  for (const run of runs) {
    const name = `run ${run.id} (${run.trigger}${run.scheduledFor ? ` for ${run.scheduledFor.toISOString()}` : ''})`;
    if (!isTerminal(run.status)) problems.push(`${name} is ${run.status}, not terminal`);
    const seen = sequences.get(run.id) ?? [];
    if (!seen.every((sequence, index) => sequence === index + 1)) problems.push(`${name}: log sequences are not 1..n: ${logOf(run.id).join(' | ')}`);
    if (seen.length !== run.logSequence) problems.push(`${name}: ${seen.length} log lines stored, logSequence is ${run.logSequence}`);
    if (run.trigger === 'SCHEDULE') {
      // One run per (job, schedule, slot): the occurrence key engine/occurrences.ts gives it.
      const slot = `${run.jobId}@${run.scheduleId}@${run.scheduledFor.toISOString()}`;
      if (slots.has(slot)) problems.push(`slot ${slot} has more than one run`);
      slots.add(slot);
      if (run.occurrenceKey !== slot) problems.push(`${name}: occurrence key ${run.occurrenceKey} is not ${slot}`);
    }
    if (run.attempt > 1 && !/attempt \d+ (interrupted|failed|timed out)/.test(run.statusReason ?? '')) {
      problems.push(`${name} is at attempt ${run.attempt} without saying why (${run.statusReason})`);
    }
  }

  const count = new Map<string, number>();
  for (const record of records) {
    const run = byId.get(record.runId);
    if (!run) {
      problems.push(`an execution of ${record.runId} (attempt ${record.attempt}) has no run of these jobs`);
      continue;
    }
    if (record.attempt > run.attempt) problems.push(`run ${run.id} executed attempt ${record.attempt} but is at attempt ${run.attempt}`);
    const key = `${record.phase} ${record.runId} ${record.attempt}`;
    count.set(key, (count.get(key) ?? 0) + 1);
    if (count.get(key) === 2) problems.push(`run ${run.id} attempt ${record.attempt}: "${record.phase}" recorded more than once (executed twice)`);
  }
  for (const run of runs) {
    if (run.status === 'SKIPPED' && records.some((record) => record.runId === run.id)) problems.push(`skipped run ${run.id} executed`);
    if (run.status === 'SUCCEEDED' && (count.get(`start ${run.id} ${run.attempt}`) !== 1 || count.get(`end ${run.id} ${run.attempt}`) !== 1)) {
      problems.push(`succeeded run ${run.id}: its attempt ${run.attempt} did not start and end exactly once`);
    }
  }
  return problems;
}

/** A job's runs, one line each, for failure messages. */
export async function describeRuns(prisma: App['database']['prisma'], jobId: string): Promise<string> {
  const job = await prisma.job.findUnique({ where: { id: jobId }, include: { schedules: true } });
  const runs = await prisma.run.findMany({ where: { jobId }, orderBy: { createdAt: 'asc' } });
  return [
    `job ${jobId}: enabled=${job?.enabled} nextRunAt=${job?.nextRunAt?.toISOString()} runCounts=${job?.schedules.map((schedule) => schedule.runCount).join(',')} (${job?.disabledReason ?? ''})`,
    ...runs.map(
      (run) =>
        `  run ${run.id} ${run.trigger} for ${run.scheduledFor.toISOString()}: ${run.status} attempt ${run.attempt}/${run.maxAttempts} late=${run.late} ` +
        `heartbeat=${run.heartbeatAt?.toISOString()} worker=${run.workerId} (${run.statusReason ?? ''})`,
    ),
  ].join('\n');
}
