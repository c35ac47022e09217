// The jobs page through the real server: `jobs(first: 50)` with its last run, last success, run counts and
// targets, on a database of 10,000 jobs and 1,000,000 runs, with every filter and order the admin app offers
// (search, action, enabled, last run's status; by name, action, next run, last run), and the runs list filtered by job,
// status and date range. Reports p95 latency of each (target ≤ 25 ms) and the SQL statements per request, which
// must not grow with the page size (no N+1): it is measured at first: 10 and 50, unfiltered and by last run's status.
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

const JOBS_PAGE = `query JobsPage($first: Int!, $filter: JobFilter, $orderBy: JobOrder) {
  jobs(first: $first, filter: $filter, orderBy: $orderBy) {
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

const RUNS_PAGE = `query RunsPage($first: Int!, $filter: RunFilter) {
  runs(first: $first, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id title status trigger attempt createdAt startedAt finishedAt durationMs job { id name } } }
  }
}`;

/** The jobs page's variants: what the admin app's filters and column headers send. */
const JOB_VARIANTS: { name: string; variables: Record<string, unknown>; minEdges: number }[] = [
  { name: 'by name', variables: {}, minEdges: 50 },
  { name: 'by name, descending', variables: { orderBy: { field: 'NAME', direction: 'DESC' } }, minEdges: 50 },
  { name: 'by action', variables: { orderBy: { field: 'ACTION', direction: 'ASC' } }, minEdges: 50 },
  { name: 'by next run', variables: { orderBy: { field: 'NEXT_RUN_AT', direction: 'ASC' } }, minEdges: 50 },
  { name: 'by last run', variables: { orderBy: { field: 'LAST_RUN_AT', direction: 'DESC' } }, minEdges: 50 },
  { name: 'search', variables: { filter: { search: 'job 1' } }, minEdges: 50 },
  { name: 'action', variables: { filter: { action: 'examples.noop' } }, minEdges: 50 },
  { name: 'enabled', variables: { filter: { enabled: false } }, minEdges: 50 },
  { name: 'last run failed', variables: { filter: { lastRunStatus: ['FAILED'] } }, minEdges: 50 },
  { name: 'last run succeeded', variables: { filter: { lastRunStatus: ['SUCCEEDED'] } }, minEdges: 50 },
  { name: 'last run failed, by next run', variables: { filter: { lastRunStatus: ['FAILED'], enabled: true }, orderBy: { field: 'NEXT_RUN_AT', direction: 'DESC' } }, minEdges: 50 },
];

async function seed(api: BenchApi, jobs: number, runsPerJob: number): Promise<number> {
  const started = performance.now();
  const sql = (text: string) => api.app.database.pool.query(text);
  await sql(`INSERT INTO jobs (id, name, action, enabled, next_run_at, updated_at, created_at)
    SELECT gen_random_uuid(), 'job ' || g, CASE WHEN g % 5 = 0 THEN 'examples.other' ELSE 'examples.noop' END, g % 7 <> 0,
           CASE WHEN g % 7 <> 0 THEN now() + make_interval(secs => g) END, now(), now() - make_interval(mins => g)
    FROM generate_series(1, ${jobs}) AS g`);
  await sql(`INSERT INTO job_target_roles (job_id, role_id)
    SELECT jobs.id, roles.id FROM jobs CROSS JOIN roles WHERE roles.name IN ('viewer', 'operator')`);
  await sql(`INSERT INTO runs (id, job_id, trigger, status, attempt, scheduled_for, created_at, started_at, finished_at)
    SELECT gen_random_uuid(), jobs.id, 'SCHEDULE',
           (CASE WHEN (r + abs(hashtext(jobs.id::text))) % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"RunStatus", 1,
           now() - make_interval(hours => r), now() - make_interval(hours => r), now() - make_interval(hours => r),
           now() - make_interval(hours => r) + interval '2 seconds'
    FROM jobs CROSS JOIN generate_series(1, ${runsPerJob}) AS r`);
  // A database that has grown to a million runs has been vacuumed by autovacuum (it also runs after inserts): the
  // visibility map is set and index-only scans work. VACUUM now makes that state certain instead of a matter of
  // whether autovacuum happened to run during the measurement.
  await sql('VACUUM ANALYZE');
  // The seed leaves a million rows of dirty pages; without a checkpoint here the server writes them out during the
  // first variants' samples, and those variants measure the disk rather than the page.
  await sql('CHECKPOINT');
  return performance.now() - started;
}

/** SQL statements per request, counted in this process over requests sent from it (the count needs no timing). */
async function countStatements(api: BenchApi, first: number, requests: number, filter: Record<string, unknown> | null = null): Promise<{ median: number; max: number }> {
  const counter = countQueries();
  const counts: number[] = [];
  try {
    for (let index = 0; index < requests; index++) {
      counter.reset();
      const result = await api.gql<{ jobs: { edges: unknown[] } }>(JOBS_PAGE, { first, filter });
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

// Untimed requests before each variant's samples: a long-running server has compiled and optimized the code of every
// request shape it serves; with 10, the first variant measured still paid for it (p95 29 ms, then 22–25 ms for the
// same page).
const WARMUP_REQUESTS = 50;

/** Latency as a client in its own thread sees it (bench/api-jobs-client.ts). */
async function timePage(api: BenchApi, query: string, variables: Record<string, unknown>, samples: number, minEdges: number) {
  const input: PageClientInput = { url: api.app.url, token: api.token, query, variables, warmup: WARMUP_REQUESTS, samples, minEdges };
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
    const failed = { lastRunStatus: ['FAILED'] };
    const counts = {
      small: await countStatements(api, 10, 20),
      large: await countStatements(api, 50, 20), // also the server's warm-up: plans, connections, JIT
      smallFiltered: await countStatements(api, 10, 10, failed),
      largeFiltered: await countStatements(api, 50, 10, failed),
    };
    const constant = counts.small.median === counts.large.median && counts.smallFiltered.median === counts.largeFiltered.median;
    // The runner's figures have no "queries" unit: the count goes in the note (and the details).
    const queries =
      `SQL statements per request: ${counts.large.median} at first: 50, ${counts.small.median} at first: 10; by last run's status ` +
      `${counts.largeFiltered.median} and ${counts.smallFiltered.median}${constant ? ' (constant)' : ' (GROWS with the page)'}`;
    const base = { benchmark: 'api-jobs', mode: options.mode, agenda: null, note: `${options.jobs} jobs, ${options.jobs * options.runsPerJob} runs, ${options.samples} requests each` } as const;
    const figures: Figure[] = [];
    const details: Record<string, unknown> = { seedMs, counts, constantQueryCount: constant };
    for (const variant of JOB_VARIANTS) {
      const page = await timePage(api, JOBS_PAGE, { first: 50, ...variant.variables }, options.samples, variant.minEdges);
      details[`jobs ${variant.name}`] = page;
      figures.push({ ...base, metric: `jobs(first: 50) ${variant.name} p95`, unit: 'ms', better: 'lower', sundial: page.p95, target: { kind: 'at most', value: 25 }, note: `p50 ${page.p50.toFixed(1)} ms; ${base.note}` });
    }
    // The runs list of one job, by status and date range (the run page's filters), and of every job by status and date.
    const { rows } = await api.app.database.pool.query<{ id: string }>('SELECT id FROM jobs ORDER BY name LIMIT 1');
    const jobId = rows[0]!.id;
    const hour = 3_600_000;
    const range = (hours: number) => ({ createdAfter: new Date(Date.now() - hours * hour).toISOString(), createdBefore: new Date().toISOString() });
    const runVariants = [
      { name: 'job, status, dates', filter: { jobId, status: ['SUCCEEDED', 'FAILED'], ...range(options.runsPerJob) }, minEdges: 1 },
      { name: 'job, failed, dates', filter: { jobId, status: ['FAILED'], ...range(options.runsPerJob) }, minEdges: 1 },
      { name: 'failed, last 24 h', filter: { status: ['FAILED'], ...range(24) }, minEdges: 50 },
    ];
    for (const variant of runVariants) {
      const page = await timePage(api, RUNS_PAGE, { first: 50, filter: variant.filter }, options.samples, variant.minEdges);
      details[`runs ${variant.name}`] = page;
      figures.push({ ...base, metric: `runs(first: 50) ${variant.name} p95`, unit: 'ms', better: 'lower', sundial: page.p95, target: { kind: 'at most', value: 25 }, note: `p50 ${page.p50.toFixed(1)} ms; ${base.note}` });
    }
    figures[0]!.note = `${figures[0]!.note}; ${queries}`;
    figures.push({ ...base, metric: 'seed time', unit: 's', better: 'lower', sundial: seedMs / 1000 });
    return { figures, details };
  } finally {
    await api.close();
  }
}
