// The jobs page through the real server: `jobs(first: 50)` with its last run, last success, run counts and
// targets, on a database of 10,000 jobs and 1,000,000 runs. Reports p95 latency (target ≤ 25 ms) and the SQL
// statements per request, which must not grow with the page size (no N+1): it is measured at first: 10 and 50.
// Seeding is set-based (INSERT … SELECT generate_series), so a million runs take seconds, not minutes.
import { performance } from 'node:perf_hooks';
import type { Figure, DatabaseModeName } from './report.js';
import { countQueries, percentile, startBenchApi, type BenchApi } from './api-setup.js';

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

async function timePage(api: BenchApi, first: number, samples: number) {
  const counter = countQueries();
  const latencies: number[] = [];
  const queryCounts: number[] = [];
  try {
    for (let index = 0; index < samples; index++) {
      counter.reset();
      const started = performance.now();
      const result = await api.gql<{ jobs: { edges: unknown[] } }>(JOBS_PAGE, { first });
      latencies.push(performance.now() - started);
      queryCounts.push(counter.count);
      if (result.errors || result.data?.jobs.edges.length !== first) {
        throw new Error(`jobs(first: ${first}) failed: ${JSON.stringify(result.errors ?? result.data).slice(0, 500)}`);
      }
    }
  } finally {
    counter.stop();
  }
  latencies.sort((a, b) => a - b);
  queryCounts.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), queries: percentile(queryCounts, 50), maxQueries: queryCounts.at(-1)! };
}

export async function benchJobsPage(options: JobsPageOptions): Promise<{ figures: Figure[]; details: unknown }> {
  // jobs.enabled=false: no scheduler polling in the query counts.
  const api = await startBenchApi(options.mode, { jobs: { enabled: false } });
  try {
    const seedMs = await seed(api, options.jobs, options.runsPerJob);
    await timePage(api, 50, Math.min(20, options.samples)); // warm-up: plans, connections, JIT
    const small = await timePage(api, 10, options.samples);
    const page = await timePage(api, 50, options.samples);
    // The runner's figures have no "queries" unit: the count goes in the note (and the details).
    const queries = `SQL statements per request: ${page.queries} at first: 50, ${small.queries} at first: 10${small.queries === page.queries ? ' (constant)' : ' (GROWS with the page)'}`;
    const base = { benchmark: 'api-jobs', mode: options.mode, agenda: null, note: `${options.jobs} jobs, ${options.jobs * options.runsPerJob} runs, ${options.samples} requests` } as const;
    return {
      figures: [
        { ...base, metric: 'jobs(first: 50) p95', unit: 'ms', better: 'lower', sundial: page.p95, target: { kind: 'at most', value: 25 }, note: `${base.note}; ${queries}` },
        { ...base, metric: 'jobs(first: 50) p50', unit: 'ms', better: 'lower', sundial: page.p50 },
        { ...base, metric: 'seed time', unit: 's', better: 'lower', sundial: seedMs / 1000 },
      ],
      details: { seedMs, first10: small, first50: page, constantQueryCount: small.queries === page.queries },
    };
  } finally {
    await api.close();
  }
}
