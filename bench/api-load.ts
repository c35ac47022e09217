// The API under load: 200 clients (a worker thread of their own, api-load-clients.ts) each send one request after
// another for 30 s to a real server, in a mix of what the admin app and integrators ask most: the jobs page
// (8 of 20), a run's page (5), a page of 50 log lines (5) and run now (2, executed by the same process). The
// server keeps its default server.max_requests_in_flight: requests past it are answered 503 at once (shed,
// counted apart; the client waits the Retry-After asked for). Prints errors (target 0), shed requests, answered
// requests per second, and p50/p99 of the answered requests, overall and per operation.
import { performance } from 'node:perf_hooks';
import type { LoadClientsInput, LoadClientsMessage, LoadOperation } from './api-load-clients.js';
import { percentile, runBenchWorker, startBenchApi, type BenchApi } from './api-setup.js';
import type { DatabaseModeName, Figure } from './report.js';
import { configSchema } from '../apps/server/src/config/schema.js';

export interface LoadOptions {
  mode: DatabaseModeName;
  clients: number;
  seconds: number;
  jobs: number;
  runsPerJob: number;
}

const JOBS_PAGE = `query JobsPage($first: Int!) {
  jobs(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name action enabled scheduleDescription nextRunAt
      lastRun { id status trigger createdAt finishedAt }
      lastSuccess { id finishedAt }
      runCounts { total succeeded failed active }
    } }
  }
}`;

const RUN_PAGE = `query RunPage($id: ID!) {
  run(id: $id) {
    id title status statusReason trigger attempt maxAttempts late createdAt scheduledFor startedAt finishedAt durationMs
    since args output errorMessage progressDone progressTotal viewerCanCancel viewerCanRetry
    startedBy { id name }
    job { id name perUser }
    childrenTotal childrenSucceeded childrenFailed
  }
}`;

const LOG_PAGE = `query LogPage($id: ID!, $after: String) {
  run(id: $id) { id log(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { node { sequence time level message data } } } }
}`;

const RUN_NOW = `mutation RunNow($id: ID!) {
  runJobNow(id: $id) { __typename ... on MutationRunJobNowSuccess { run { id status } } }
}`;

/** Jobs of bench.noop, runs finished over the past hours, and 200 log lines on each of the newest 100 runs. */
async function seed(api: BenchApi, jobs: number, runsPerJob: number): Promise<{ jobIds: string[]; runIds: string[]; loggedRunIds: string[] }> {
  const sql = (text: string) => api.app.database.pool.query(text);
  await sql(`INSERT INTO jobs (id, name, action, enabled, updated_at, created_at)
    SELECT gen_random_uuid(), 'load job ' || g, 'bench.noop', true, now(), now() - make_interval(mins => g)
    FROM generate_series(1, ${jobs}) AS g`);
  await sql(`INSERT INTO runs (id, job_id, trigger, status, attempt, scheduled_for, created_at, started_at, finished_at)
    SELECT gen_random_uuid(), jobs.id, 'SCHEDULE',
           (CASE WHEN r % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"RunStatus", 1,
           now() - make_interval(hours => r), now() - make_interval(hours => r), now() - make_interval(hours => r),
           now() - make_interval(hours => r) + interval '2 seconds'
    FROM jobs CROSS JOIN generate_series(1, ${runsPerJob}) AS r`);
  await sql(`INSERT INTO run_log_lines (run_id, sequence, time, level, message, data)
    SELECT logged.id, s, logged.started_at + make_interval(secs => s / 100.0), 'INFO', 'line ' || s, jsonb_build_object('n', s)
    FROM (SELECT id, started_at FROM runs ORDER BY created_at DESC, id LIMIT 100) AS logged CROSS JOIN generate_series(1, 200) AS s`);
  await sql('VACUUM ANALYZE');
  const ids = async (text: string) => ((await api.app.database.pool.query<{ id: string }>(text)).rows).map((row) => row.id);
  return {
    jobIds: await ids('SELECT id FROM jobs WHERE action = \'bench.noop\' ORDER BY random() LIMIT 200'),
    runIds: await ids('SELECT id FROM runs ORDER BY random() LIMIT 1000'),
    loggedRunIds: await ids('SELECT DISTINCT run_id AS id FROM run_log_lines'),
  };
}

export async function benchApiLoad(options: LoadOptions): Promise<{ figures: Figure[]; details: unknown }> {
  // The clients all connect from loopback, standing in for many addresses: the per-address cap is lifted.
  const api = await startBenchApi(options.mode, { server: { port: 0, max_connections_per_address: 100_000 } });
  const limit = configSchema.parse({}).server.max_requests_in_flight;
  try {
    const seedStarted = performance.now();
    const { jobIds, runIds, loggedRunIds } = await seed(api, options.jobs, options.runsPerJob);
    const seedMs = performance.now() - seedStarted;
    const operations: LoadOperation[] = [
      { name: 'jobs page', weight: 8, query: JOBS_PAGE, variables: [{ first: 50 }], expect: '"edges"' },
      { name: 'run page', weight: 5, query: RUN_PAGE, variables: runIds.map((id) => ({ id })), expect: '"status"' },
      {
        name: 'log page',
        weight: 5,
        query: LOG_PAGE,
        variables: loggedRunIds.flatMap((id) => [{ id }, { id, after: '100' }]),
        expect: '"sequence"',
      },
      { name: 'run now', weight: 2, query: RUN_NOW, variables: jobIds.map((id) => ({ id })), expect: '"MutationRunJobNowSuccess"' },
    ];
    const input: LoadClientsInput = { url: api.app.url, token: api.token, clients: options.clients, seconds: options.seconds, operations };
    const busyAtStart = performance.eventLoopUtilization();
    const message = await runBenchWorker<LoadClientsMessage>(new URL('./api-load-clients.ts', import.meta.url), input);
    const busy = performance.eventLoopUtilization(busyAtStart).utilization;
    if (message.type === 'failed') throw new Error(message.message);
    const all = Float64Array.from(message.results.flatMap((result) => [...result.latencies])).sort();
    const errors = message.results.reduce((sum, result) => sum + result.errors, 0);
    const shed = message.results.reduce((sum, result) => sum + result.shed, 0);
    const perOperation = message.results.map((result) => {
      const sorted = [...result.latencies].sort((a, b) => a - b);
      return { name: result.name, answered: sorted.length, shed: result.shed, errors: result.errors, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    });
    const sorted = [...all];
    const note = `${options.clients} clients for ${options.seconds} s, max_requests_in_flight ${limit}; ${options.jobs} jobs, ${options.jobs * options.runsPerJob} runs`;
    const base = { benchmark: 'api-load', mode: options.mode, agenda: null, note } as const;
    const byOperation = perOperation.map((operation) => `${operation.name} ${operation.p50.toFixed(1)}/${operation.p99.toFixed(1)} ms`).join(', ');
    return {
      figures: [
        { ...base, metric: 'errors', unit: 'requests', better: 'lower', sundial: errors, target: { kind: 'at most', value: 0 }, note: `${note}${message.firstErrors.length ? `; first: ${message.firstErrors.join(' | ')}` : ''}` },
        { ...base, metric: 'shed (503 + Retry-After)', unit: 'requests', better: 'lower', sundial: shed, note: `${((shed / Math.max(1, shed + sorted.length + errors)) * 100).toFixed(1)} % of requests` },
        { ...base, metric: 'answered', unit: 'req/s', better: 'higher', sundial: sorted.length / (message.elapsedMs / 1000) },
        { ...base, metric: 'answered p50', unit: 'ms', better: 'lower', sundial: percentile(sorted, 50), note: `p50/p99 by operation: ${byOperation}` },
        { ...base, metric: 'answered p99', unit: 'ms', better: 'lower', sundial: percentile(sorted, 99) },
        { ...base, metric: 'server event loop busy', unit: '%', better: 'lower', sundial: Math.round(busy * 100) },
      ],
      details: { seedMs, perOperation, errors, shed, answered: sorted.length, elapsedMs: message.elapsedMs, firstErrors: message.firstErrors, limit },
    };
  } finally {
    await api.close();
  }
}
