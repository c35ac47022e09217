// Trigger latency: from "run now" (RunService.start) to the first line of the action, one run at a time.
// Raw Agenda's counterpart: agenda.now() → its handler starts. Each run finishes before the next starts, so
// the figure is the wake-up path alone, not queueing behind other work.
import { performance } from 'node:perf_hooks';
import { defineAction } from '@sundial/actions';
import { summarize, type Figure, type Summary } from './report.js';
import { startBenchEngine, startRawAgenda, withDeadline, type BenchDatabase } from './setup.js';

export interface LatencyOptions {
  samples: number;
  /** Untimed runs first: connections, prepared plans and JIT warm up. */
  warmup: number;
}

const TARGET_P99_MS = { postgres: 15, embedded: 25 } as const;

/** Whoever waits for the next action start; the action calls it first thing. */
let onActionStart: ((at: number) => void) | null = null;

const probe = defineAction({
  name: 'bench.probe',
  description: 'Notes the moment it starts and returns.',
  run: () => {
    onActionStart?.(performance.now());
    return null;
  },
});

function nextStart(): Promise<number> {
  return new Promise((resolve) => {
    onActionStart = (at) => {
      onActionStart = null;
      resolve(at);
    };
  });
}

export async function benchLatency(db: BenchDatabase, options: LatencyOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const agenda = await measureAgenda(db, options);
  const sundial = await measureSundial(db, options);
  const base = { benchmark: 'latency', mode: db.mode, unit: 'ms', better: 'lower', note: `${options.samples} sequential runs` } as const;
  return {
    figures: [
      { ...base, metric: 'p50 run-now → action', sundial: sundial.p50, agenda: agenda.p50 },
      { ...base, metric: 'p99 run-now → action', sundial: sundial.p99, agenda: agenda.p99, target: { kind: 'at most', value: TARGET_P99_MS[db.mode] } },
    ],
    details: { sundial, agenda },
  };
}

async function measureAgenda(db: BenchDatabase, { samples, warmup }: LatencyOptions): Promise<Summary> {
  let handlerStarted: ((at: number) => void) | null = null;
  const raw = await startRawAgenda(db, (agenda) => {
    agenda.define('bench.latency', async () => {
      handlerStarted?.(performance.now());
    });
  });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < warmup + samples; i += 1) {
      const started = new Promise<number>((resolve) => (handlerStarted = resolve));
      const completed = new Promise<void>((resolve) => raw.agenda.once('complete:bench.latency', () => resolve()));
      const t0 = performance.now();
      await raw.agenda.now('bench.latency', { i });
      const at = await withDeadline(started, 10_000, 'raw Agenda latency job');
      await withDeadline(completed, 10_000, 'raw Agenda latency job completion');
      if (i >= warmup) latencies.push(at - t0);
    }
    return summarize(latencies);
  } finally {
    await raw.stop();
  }
}

async function measureSundial(db: BenchDatabase, { samples, warmup }: LatencyOptions): Promise<Summary> {
  const bench = await startBenchEngine(db, [probe]);
  try {
    const job = await bench.engine.jobs.create({ name: 'latency probe', action: probe.name });
    const latencies: number[] = [];
    for (let i = 0; i < warmup + samples; i += 1) {
      const started = nextStart();
      const t0 = performance.now();
      const run = await bench.engine.runs.start(job.id, { trigger: 'MANUAL' });
      const at = await withDeadline(started, 10_000, `run ${run.id}`);
      const status = await withDeadline(bench.watcher.terminal(run.id), 10_000, `run ${run.id}`);
      if (status !== 'SUCCEEDED') throw new Error(`run ${run.id} ended ${status}`);
      // As for raw Agenda, the next run starts once this one's bookkeeping is done: the worker has let go of it.
      const { unfinished } = await bench.engine.executor.drain(10_000);
      if (unfinished > 0) throw new Error(`the worker did not let go of run ${run.id} within 10 s`);
      if (i >= warmup) latencies.push(at - t0);
    }
    return summarize(latencies);
  } finally {
    onActionStart = null;
    await bench.stop();
  }
}
