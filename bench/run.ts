// `npm run bench`: Sundial's engine against raw Agenda on the same database, in the same run.
//   --quick            a short smoke run (fewer samples, runs and users)
//   --only <name>      one benchmark: latency, throughput, fanout, schedule-lag, api-jobs, api-live-log, api-load, web-ui or workers-share (repeatable, or comma-separated)
//   --db <mode>        postgres or embedded (default: both)
//   --without-last-run-triggers  engine benchmarks without the triggers that keep jobs.last_run_* (what they cost)
// Prints each figure beside its target and raw Agenda, a table at the end, and writes bench/results/<time>.json.
// Exits 0 even when a target is missed (the table says MISSED); 1 only when a benchmark could not run.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { benchFanout } from './fanout.js';
import { benchLatency } from './latency.js';
import { printFigure, printTable, ratio, verdict, writeResults, type DatabaseModeName, type Figure, type ResultFile } from './report.js';
import { openBenchDatabase, POSTGRES_URL, TUNING, type BenchDatabase } from './setup.js';
import { benchThroughput } from './throughput.js';
import { run as runApiBenchmarks } from './api-suite.js';
import { run as runWebUiBenchmark } from './web-ui.js';
import { benchApiLoad } from './api-load.js';
import { benchScheduleLag } from './schedule-lag.js';
import { benchWorkersShare } from './workers-share.js';

type BenchmarkName = 'latency' | 'throughput' | 'fanout' | 'schedule-lag' | 'api-jobs' | 'api-live-log' | 'api-load' | 'web-ui' | 'workers-share';

interface Benchmark {
  name: BenchmarkName;
  title: (quick: boolean) => string;
  /** Engine benchmarks get a fresh database; API benchmarks start a real server on their own. */
  run(db: BenchDatabase | null, quick: boolean, mode: DatabaseModeName): Promise<{ figures: Figure[]; details: unknown }>;
  ownDatabase?: boolean;
  /** The databases it applies to (default: every one asked for). */
  modes?: DatabaseModeName[];
}

const SIZES = {
  full: {
    latencySamples: 300,
    latencyWarmup: 20,
    throughputRuns: 5000,
    // T4 (100,000 users) on PostgreSQL; the embedded database keeps to 10,000.
    fanoutUsers: { postgres: [10_000, 100_000], embedded: [10_000] },
    workersShare: { burstRuns: 5000, scheduledSlots: 30 },
  },
  quick: {
    latencySamples: 40,
    latencyWarmup: 5,
    throughputRuns: 500,
    fanoutUsers: { postgres: [1000], embedded: [1000] },
    workersShare: { burstRuns: 300, scheduledSlots: 10 },
  },
};

const BENCHMARKS: Benchmark[] = [
  {
    name: 'latency',
    title: (quick) => `trigger latency, run-now → action start (${size(quick).latencySamples} sequential runs)`,
    run: (db, quick) => benchLatency(db!, { samples: size(quick).latencySamples, warmup: size(quick).latencyWarmup }),
  },
  {
    name: 'throughput',
    title: (quick) => `throughput, ${size(quick).throughputRuns} runs of a no-op action writing 2 log lines`,
    run: (db, quick) => benchThroughput(db!, { runs: size(quick).throughputRuns }),
  },
  {
    name: 'fanout',
    title: (quick) =>
      `per-user fan-out over ${size(quick).fanoutUsers.embedded.join(', ')} users (PostgreSQL: ${size(quick).fanoutUsers.postgres.join(', ')}), no-op action`,
    run: (db, quick, mode) => benchFanout(db!, { users: size(quick).fanoutUsers[mode] }),
  },
  {
    name: 'schedule-lag',
    title: (quick) =>
      `schedule lag: ${quick ? '200 jobs, 30 s' : '1,000 jobs, 60 s'} windows, every 10 s, two workers and an API process; then one worker SIGKILLed`,
    ownDatabase: true,
    // Two worker processes share the work through PostgreSQL; the embedded database is one process.
    modes: ['postgres'],
    run: (_db, quick) => benchScheduleLag(quick ? { jobs: 200, seconds: 30 } : { jobs: 1000, seconds: 60 }),
  },
  {
    name: 'api-jobs',
    title: (quick) => `GraphQL jobs(first: 50) over ${quick ? '1,000 jobs / 20,000 runs' : '10,000 jobs / 1,000,000 runs'}`,
    ownDatabase: true,
    run: async (_db, quick, mode) => ({ figures: await runApiBenchmarks({ mode, quick, only: ['jobs'] }), details: null }),
  },
  {
    name: 'api-live-log',
    title: (quick) =>
      `live log: action log() → subscriber, ${quick ? '50 and 100 subscribers, 500 lines/s' : '200 and 600 subscribers, 1,000 lines/s'}; on PostgreSQL also across processes (NOTIFY)`,
    ownDatabase: true,
    run: async (_db, quick, mode) => ({ figures: await runApiBenchmarks({ mode, quick, only: ['live-log'] }), details: null }),
  },
  {
    name: 'api-load',
    title: (quick) =>
      `API under load: ${quick ? '50 clients for 5 s' : '200 clients for 30 s'} (jobs page, run page, log page, run now); past server.max_requests_in_flight: 503`,
    ownDatabase: true,
    run: (_db, quick, mode) =>
      benchApiLoad(quick ? { mode, clients: 50, seconds: 5, jobs: 200, runsPerJob: 20 } : { mode, clients: 200, seconds: 30, jobs: 1000, runsPerJob: 100 }),
  },
  {
    name: 'web-ui',
    title: (quick) =>
      `admin app in Chromium: first render and scroll frames, ${quick ? '1,000 jobs / 10,000-line log' : '10,000 jobs / 100,000-line log'}; initial JS`,
    ownDatabase: true,
    // The browser's figures do not depend on the server's database; embedded is what `npm start` uses.
    modes: ['embedded'],
    run: async (_db, quick, mode) => ({ figures: await runWebUiBenchmark({ mode, quick }), details: null }),
  },
  {
    name: 'workers-share',
    title: (quick) =>
      `two worker processes and an API process: run-now bursts of ${size(quick).workersShare.burstRuns} runs (one worker, one with both workers' slots, two workers) and 10 jobs every 2 s for ${size(quick).workersShare.scheduledSlots} slots; share per worker, runs/s, CPU per run`,
    ownDatabase: true,
    // Several processes on one database: the embedded database is single-process.
    modes: ['postgres'],
    run: (_db, quick) => benchWorkersShare(size(quick).workersShare),
  },
];

function size(quick: boolean) {
  return quick ? SIZES.quick : SIZES.full;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      db: { type: 'string', multiple: true },
      'without-last-run-triggers': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('npm run bench -- [--quick] [--only latency|throughput|fanout|schedule-lag|api-jobs|api-live-log|api-load|web-ui|workers-share] [--db postgres|embedded] [--without-last-run-triggers]');
    process.exit(0);
  }
  const split = (list: string[] | undefined) => (list ?? []).flatMap((item) => item.split(',')).map((item) => item.trim()).filter(Boolean);
  const only = split(values.only);
  const unknown = only.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const modes = split(values.db);
  const badModes = modes.filter((mode) => mode !== 'postgres' && mode !== 'embedded');
  if (badModes.length > 0) throw new Error(`--db: unknown database ${badModes.join(', ')}; choose postgres or embedded`);
  return {
    quick: values.quick,
    withoutLastRunTriggers: values['without-last-run-triggers'],
    benchmarks: only.length > 0 ? BENCHMARKS.filter((b) => only.includes(b.name)) : BENCHMARKS,
    modes: (modes.length > 0 ? modes : ['postgres', 'embedded']) as DatabaseModeName[],
  };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  console.log(
    `Sundial engine benchmarks${options.quick ? ' (quick)' : ''} — ${os.cpus().length} CPUs, load ${loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`,
  );
  console.log(
    `Both engines: concurrency ${TUNING.concurrency}, lockLimit ${TUNING.lockLimit}, processEvery ${TUNING.processEveryMs} ms; PostgreSQL at ${new URL(POSTGRES_URL).host} (a fresh database per benchmark), embedded = in-memory PGlite.`,
  );
  if (options.withoutLastRunTriggers) console.log('Without the jobs.last_run_* triggers (on the engine benchmarks\' databases).');
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const errors: ResultFile['errors'] = [];

  for (const mode of options.modes) {
    for (const benchmark of options.benchmarks) {
      if (benchmark.modes && !benchmark.modes.includes(mode)) continue;
      console.log(`\n${benchmark.title(options.quick)} — ${mode}`);
      let db: BenchDatabase | null = null;
      try {
        db = benchmark.ownDatabase ? null : await openBenchDatabase(mode, { withoutLastRunTriggers: options.withoutLastRunTriggers });
        const result = await benchmark.run(db, options.quick, mode);
        for (const figure of result.figures) printFigure(figure);
        figures.push(...result.figures);
        details[`${benchmark.name}/${mode}`] = result.details;
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        console.error(`  FAILED: ${message}`);
        errors.push({ benchmark: benchmark.name, mode, message });
      } finally {
        await db?.close().catch((error: unknown) => console.error(`  closing the database failed: ${String(error)}`));
      }
    }
  }

  console.log('\nSummary (ratio = Sundial ÷ raw Agenda, same database, same run)\n');
  printTable(figures);
  const file = writeResults(path.join(path.dirname(fileURLToPath(import.meta.url)), 'results'), {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: { cpus: os.cpus().length, loadAverageAtStart, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    figures: figures.map((figure) => ({ ...figure, ratio: ratio(figure), verdict: verdict(figure) })),
    details,
    errors,
  });
  console.log(`Results written to ${path.relative(process.cwd(), file)}`);
  if (errors.length > 0) console.error(`\n${errors.length} benchmark(s) could not run: ${errors.map((e) => `${e.benchmark}/${e.mode}`).join(', ')}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
