// Live log latency through the real server: an action writes 1,000 lines/s (log.info) while 200 clients are
// subscribed to runLogLines over Server-Sent Events (the run page's subscription: several lines per event).
// The subscribers run in a worker thread (api-live-log-clients.ts), so their parsing is not the server's work, as
// with real subscribers on other machines. Latency = the moment the bytes of the event carrying a line reached a
// subscriber − the moment the action called log() for it, on one monotonic clock (process.hrtime, shared by the
// threads), for every line at every subscriber. Reports p50/p95/p99 (target p99 ≤ 50 ms), whether every subscriber got every line
// in order, and how many lines an event carried on average.
import { performance } from 'node:perf_hooks';
import { benchGate } from './api-actions/bench-log.js';
import type { ClientResult, ClientsInput, ClientsMessage } from './api-live-log-clients.js';
import { percentile, startBenchApi, startBenchWorker } from './api-setup.js';
import type { DatabaseModeName, Figure } from './report.js';

export interface LiveLogOptions {
  mode: DatabaseModeName;
  subscribers: number;
  linesPerSecond: number;
  seconds: number;
}

interface Clients {
  ready: Promise<void>;
  finished: Promise<ClientResult[]>;
  stop(): Promise<void>;
}

function startClients(input: ClientsInput): Clients {
  const worker = startBenchWorker(new URL('./api-live-log-clients.ts', import.meta.url), input);
  let markReady!: () => void;
  let fail!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const finished = new Promise<ClientResult[]>((resolve, reject) => {
    worker.on('message', (message: ClientsMessage) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'done') resolve(message.results);
      else reject(new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the subscribers' worker exited (${code})`)));
  });
  finished.catch((error: Error) => fail(error));
  return {
    ready,
    finished,
    async stop() {
      worker.postMessage('stop');
      await worker.terminate();
    },
  };
}

export async function benchLiveLog(options: LiveLogOptions): Promise<{ figures: Figure[]; details: unknown }> {
  // The subscribers stand in for clients on many machines but all connect from loopback: the per-address cap is lifted.
  const api = await startBenchApi(options.mode, {
    jobs: { concurrency: 4 },
    server: { port: 0, max_body_bytes: 1024 * 1024, max_connections_per_address: 100_000 },
  });
  let release!: () => void;
  benchGate.go = new Promise<void>((resolve) => (release = resolve));
  let clients: Clients | null = null;
  try {
    const job = await api.app.engine.jobs.create({
      name: 'live log bench',
      action: 'bench.log',
      args: { linesPerSecond: options.linesPerSecond, seconds: options.seconds },
    });
    const run = await api.app.engine.runs.start(job.id, { trigger: 'API' });
    // Where the time goes: log() → announced on this process's bus (before the fan-out to subscribers).
    const published: number[] = [];
    const stopListening = api.app.bus.listen('runLog', run.id, (batch) => {
      const now = Number(process.hrtime.bigint()) / 1e6;
      for (const line of batch.lines) {
        const sentAt = (line.data as { sentAt?: number } | null)?.sentAt ?? 0;
        if (sentAt > 0) published.push(now - sentAt);
      }
    });
    clients = startClients({ url: api.app.url, token: api.token, runId: run.id, subscribers: options.subscribers });
    await clients.ready;
    // How busy the server's thread was: above ~0.9, every event waits behind the fan-out of the one before.
    const busyAtStart = performance.eventLoopUtilization();
    release();
    const results = await clients.finished;
    const busy = performance.eventLoopUtilization(busyAtStart).utilization;
    stopListening();
    published.sort((x, y) => x - y);
    const all = Float64Array.from(results.flatMap((result) => [...result.latencies])).sort();
    const sorted = [...all];
    const expected = Math.round(options.linesPerSecond * options.seconds);
    const complete = results.every((result) => result.latencies.length === expected);
    const inOrder = results.every((result) => result.inOrder);
    const linesPerEvent = results.reduce((sum, result) => sum + result.lines, 0) / Math.max(1, results.reduce((sum, result) => sum + result.events, 0));
    const base = {
      benchmark: 'api-live-log',
      mode: options.mode,
      agenda: null,
      unit: 'ms',
      better: 'lower',
      note: `${options.subscribers} subscribers, ${options.linesPerSecond} lines/s for ${options.seconds} s; ${complete && inOrder ? 'all lines, in order' : 'LINES MISSING OR OUT OF ORDER'}; ${linesPerEvent.toFixed(1)} lines per event`,
    } as const;
    return {
      figures: [
        { ...base, metric: 'log() → subscriber p99', sundial: percentile(sorted, 99), target: { kind: 'at most', value: 50 } },
        { ...base, metric: 'log() → subscriber p95', sundial: percentile(sorted, 95) },
        { ...base, metric: 'log() → subscriber p50', sundial: percentile(sorted, 50) },
        { ...base, metric: 'log() → announced on the bus p99', sundial: percentile(published, 99) },
        { ...base, metric: 'log() → announced on the bus p50', sundial: percentile(published, 50) },
        { ...base, metric: 'server event loop busy', unit: '%', sundial: Math.round(busy * 100) },
      ],
      details: { samples: sorted.length, expectedPerSubscriber: expected, complete, inOrder, max: sorted.at(-1), linesPerEvent },
    };
  } finally {
    release?.();
    await clients?.stop();
    benchGate.go = null;
    await api.close();
  }
}
