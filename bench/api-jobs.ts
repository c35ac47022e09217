// The jobs page through the real server: `jobs(first: 50)` with its last run, last success, run counts and
// targets, on a database of 10,000 jobs and 1,000,000 runs. Reports p95 latency (target ≤ 25 ms) and the SQL
// statements per request, which must not grow with the page size (no N+1): it is measured at first: 10 and 50.
// Latency is timed by a client in a thread of its own (api-jobs-client.ts), as the live-log benchmark's subscribers
// are: in the server's thread, the client's own work (fetch, JSON parsing) was timed as the server's.
// Seeding is set-based (INSERT … SELECT generate_series), so a million runs take seconds, not minutes.
import { performance } from 'node:perf_hooks';
import type { Figure, DatabaseModeName } from './report.js';
import type { PageClientInput, PageClientMessage } from './api-jobs-client.js';
import { countQueries, percentile, runBenchWorker, startBenchApi, type BenchApi } from './api-setup.js';

export interface JobsPageOptions {
  mode: DatabaseModeName;
  jobs: number;
  runsPerJob: number;
  samples: number;
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
      targetRoles { id name }
      targetUsers { id email }
    } }
  }
}`;

async function seed(api: BenchApi, jobs: number, runsPerJob: number): Promise<number> {
  const started = performance.now();
  const sql = (text: string) => api.app.database.pool.query(text);
  await sql(`INSERT INTO jobs (id, name, action, enabled, updated_at, created_at)
    SELECT gen_random_uuid(), 'job ' || g, 'examples.noop', g % 7 <> 0, now(), now() - make_interval(mins => g)
    FROM generate_series(1, ${jobs}) AS g`);
  await sql(`INSERT INTO job_target_roles (job_id, role_id)
    SELECT jobs.id, roles.id FROM jobs CROSS JOIN roles WHERE roles.name IN ('viewer', 'operator')`);
  await sql(`INSERT INTO runs (id, job_id, trigger, status, attempt, scheduled_for, created_at, started_at, finished_at)
    SELECT gen_random_uuid(), jobs.id, 'SCHEDULE',
           (CASE WHEN r % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"RunStatus", 1,
           now() - make_interval(hours => r), now() - make_interval(hours => r), now() - make_interval(hours => r),
           now() - make_interval(hours => r) + interval '2 seconds'
    FROM jobs CROSS JOIN generate_series(1, ${runsPerJob}) AS r`);
  // A database that has grown to a million runs has been vacuumed by autovacuum (it also runs after inserts): the
  // visibility map is set and index-only scans work. VACUUM now makes that state certain instead of a matter of
  // whether autovacuum happened to run during the measurement.
  await sql('VACUUM ANALYZE');
  return performance.now() - started;
}

/** SQL statements per request, counted in this process over requests sent from it (the count needs no timing). */
async function countStatements(api: BenchApi, first: number, requests: number): Promise<{ median: number; max: number }> {
  const counter = countQueries();
  const counts: number[] = [];
  try {
    for (let index = 0; index < requests; index++) {
      counter.reset();
      const result = await api.gql<{ jobs: { edges: unknown[] } }>(JOBS_PAGE, { first });
      counts.push(counter.count);
      if (result.errors || result.data?.jobs.edges.length !== first) {
        throw new Error(`jobs(first: ${first}) failed: ${JSON.stringify(result.errors ?? result.data).slice(0, 500)}`);
      }
    }
  } finally {
    counter.stop();
  }
  counts.sort((a, b) => a - b);
  return { median: percentile(counts, 50), max: counts.at(-1)! };
}

/** Latency as a client in its own thread sees it (bench/api-jobs-client.ts). */
async function timePage(api: BenchApi, first: number, samples: number) {
  const input: PageClientInput = { url: api.app.url, token: api.token, query: JOBS_PAGE, variables: { first }, warmup: 10, samples, expectEdges: first };
  const message = await runBenchWorker<PageClientMessage>(new URL('./api-jobs-client.ts', import.meta.url), input);
  if (message.type === 'failed') throw new Error(message.message);
  const latencies = message.latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

export async function benchJobsPage(options: JobsPageOptions): Promise<{ figures: Figure[]; details: unknown }> {
  // jobs.enabled=false: no scheduler polling in the query counts.
  const api = await startBenchApi(options.mode, { jobs: { enabled: false } });
  try {
    const seedMs = await seed(api, options.jobs, options.runsPerJob);
    const small = await countStatements(api, 10, 20);
    const counted = await countStatements(api, 50, 20); // also the server's warm-up: plans, connections, JIT
    const page = await timePage(api, 50, options.samples);
    // The runner's figures have no "queries" unit: the count goes in the note (and the details).
    const queries = `SQL statements per request: ${counted.median} at first: 50, ${small.median} at first: 10${small.median === counted.median ? ' (constant)' : ' (GROWS with the page)'}`;
    const base = { benchmark: 'api-jobs', mode: options.mode, agenda: null, note: `${options.jobs} jobs, ${options.jobs * options.runsPerJob} runs, ${options.samples} requests` } as const;
    return {
      figures: [
        { ...base, metric: 'jobs(first: 50) p95', unit: 'ms', better: 'lower', sundial: page.p95, target: { kind: 'at most', value: 25 }, note: `${base.note}; ${queries}` },
        { ...base, metric: 'jobs(first: 50) p50', unit: 'ms', better: 'lower', sundial: page.p50 },
        { ...base, metric: 'seed time', unit: 's', better: 'lower', sundial: seedMs / 1000 },
      ],
      details: { seedMs, statementsFirst10: small, statementsFirst50: counted, first50: page, constantQueryCount: small.median === counted.median },
    };
  } finally {
    await api.close();
  }
}
