// The API benchmarks of issue 4, for bench/run.ts: `run({ mode, quick })` → figures in the runner's format.
//   npx tsx bench/api-suite.ts [--quick] [--db postgres|embedded]   runs them alone and prints the figures.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchJobsPage } from './api-jobs.js';
import { benchLiveLog } from './api-live-log.js';
import type { DatabaseModeName, Figure } from './report.js';

export type BenchResult = Figure;

export interface ApiBenchOptions {
  mode: DatabaseModeName;
  quick?: boolean;
  only?: ('jobs' | 'live-log')[];
}

const SIZES = {
  full: { jobs: 10_000, runsPerJob: 100, samples: 200, subscribers: 200, manySubscribers: 600, linesPerSecond: 1000, seconds: 10 },
  quick: { jobs: 1000, runsPerJob: 20, samples: 40, subscribers: 50, manySubscribers: 100, linesPerSecond: 500, seconds: 3 },
};

export async function run(options: ApiBenchOptions): Promise<BenchResult[]> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const wanted = new Set(options.only ?? ['jobs', 'live-log']);
  const figures: BenchResult[] = [];
  if (wanted.has('jobs')) {
    figures.push(...(await benchJobsPage({ mode: options.mode, jobs: size.jobs, runsPerJob: size.runsPerJob, samples: size.samples })).figures);
  }
  if (wanted.has('live-log')) {
    const rate = { linesPerSecond: size.linesPerSecond, seconds: size.seconds };
    figures.push(...(await benchLiveLog({ mode: options.mode, subscribers: size.subscribers, ...rate, targetP99Ms: 50 })).figures);
    figures.push(...(await benchLiveLog({ mode: options.mode, subscribers: size.manySubscribers, ...rate })).figures);
    if (options.mode === 'postgres') {
      figures.push(...(await benchLiveLog({ mode: options.mode, subscribers: size.subscribers, ...rate, crossProcess: true, targetP99Ms: 100 })).figures);
    }
  }
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, db: { type: 'string', multiple: true }, only: { type: 'string', multiple: true } },
  });
  const modes = (values.db ?? ['postgres', 'embedded']) as DatabaseModeName[];
  for (const mode of modes) {
    const figures = await run({ mode, quick: values.quick, only: values.only as ApiBenchOptions['only'] });
    for (const figure of figures) {
      const target = figure.target ? ` (target ${figure.target.kind} ${figure.target.value})` : '';
      console.log(`${mode.padEnd(8)} ${figure.benchmark.padEnd(13)} ${figure.metric.padEnd(28)} ${figure.sundial.toFixed(2)} ${figure.unit}${target}  ${figure.note ?? ''}`);
    }
  }
  process.exit(0);
}
