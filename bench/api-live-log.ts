// Live log latency through the real server: an action writes lines at a steady rate (log.info) while clients are
// subscribed to runLogLines over Server-Sent Events (the run page's subscription: several lines per event).
// The subscribers run in a worker thread (api-live-log-clients.ts), so their parsing is not the server's work, as
// with real subscribers on other machines. Latency = the moment the bytes of the event carrying a line reached a
// subscriber − the moment the action called log() for it, in ms since the epoch at sub-millisecond precision (one
// clock for every thread and process of the machine), for every line at every subscriber. Three shapes:
// - one process (the action and the subscribers' server alike), 200 subscribers, 1,000 lines/s: target p99 ≤ 50 ms;
// - one process, 600 subscribers, 1,000 lines/s: every line to every subscriber in order, p99 printed;
// - across processes (PostgreSQL only): the action on a worker process (api-live-log-worker.ts), 200 subscribers on
//   an API process with jobs.enabled=false, the lines crossing through PostgreSQL NOTIFY: target p99 ≤ 100 ms.
// Reports p50/p95/p99, whether every subscriber got every line in order, and how many lines an event carried.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchGate } from './api-actions/bench-log.js';
import type { ClientResult, ClientsInput, ClientsMessage } from './api-live-log-clients.js';
import type { WorkerProcessInput, WorkerProcessMessage } from './api-live-log-worker.js';
import { percentile, startBenchApi, startBenchWorker } from './api-setup.js';
import type { DatabaseModeName, Figure } from './report.js';

export interface LiveLogOptions {
  mode: DatabaseModeName;
  subscribers: number;
  linesPerSecond: number;
  seconds: number;
  /** The action on a worker process of its own, the subscribers on an API-only process (PostgreSQL only). */
  crossProcess?: boolean;
  /** The p99 target in ms; none: printed only. */
  targetP99Ms?: number;
}

interface WorkerProcess {
  go(): void;
  stop(): Promise<void>;
}

/** Forks the worker process on the same database and waits until it takes work. */
async function startWorkerProcess(input: WorkerProcessInput): Promise<WorkerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./api-live-log-worker.ts', import.meta.url)), [JSON.stringify(input)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerProcessMessage) => {
        if (message.type === 'started') resolve();
        else reject(new Error(`the worker process failed: ${message.message}`));
      });
      child.once('exit', (code) => reject(new Error(`the worker process exited (${code}) before it started`)));
    });
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    go: () => {
      if (child.connected) child.send('go');
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send('stop');
      await exited;
    },
  };
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
  if (options.crossProcess && options.mode !== 'postgres') throw new Error('the cross-process live log needs PostgreSQL (NOTIFY)');
  // The subscribers stand in for clients on many machines but all connect from loopback: the per-address cap is lifted.
  const api = await startBenchApi(options.mode, {
    jobs: options.crossProcess ? { enabled: false } : { concurrency: 4 },
    server: { port: 0, max_body_bytes: 1024 * 1024, max_connections_per_address: 100_000 },
  });
  let release!: () => void;
  benchGate.go = new Promise<void>((resolve) => (release = resolve));
  let clients: Clients | null = null;
  let worker: WorkerProcess | null = null;
  try {
    if (options.crossProcess) {
      worker = await startWorkerProcess({ databaseUrl: api.databaseUrl, actionsDir: fileURLToPath(new URL('./api-actions', import.meta.url)) });
      release = worker.go;
    }
    const job = await api.app.engine.jobs.create({
      name: 'live log bench',
      action: 'bench.log',
      args: { linesPerSecond: options.linesPerSecond, seconds: options.seconds },
    });
    const run = await api.app.engine.runs.start(job.id, { trigger: 'API' });
    // Where the time goes: log() → announced on this process's bus (before the fan-out to subscribers).
    const published: number[] = [];
    const stopListening = api.app.bus.listen('runLog', run.id, (batch) => {
      const now = performance.timeOrigin + performance.now();
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
    const missing = results.reduce((sum, result) => sum + Math.max(0, expected - result.latencies.length) + (result.inOrder ? 0 : 1), 0);
    const shed = results.reduce((sum, result) => sum + result.shed, 0);
    const resets = results.reduce((sum, result) => sum + result.resets, 0);
    const linesPerEvent = results.reduce((sum, result) => sum + result.lines, 0) / Math.max(1, results.reduce((sum, result) => sum + result.events, 0));
    const shape = options.crossProcess ? `${options.subscribers} subscribers on an API process, the run on a worker process (NOTIFY)` : `${options.subscribers} subscribers`;
    const base = {
      benchmark: 'api-live-log',
      mode: options.mode,
      agenda: null,
      unit: 'ms',
      better: 'lower',
      note: `${shape}, ${options.linesPerSecond} lines/s for ${options.seconds} s; ${complete && inOrder ? 'all lines, in order' : 'LINES MISSING OR OUT OF ORDER'}; ${linesPerEvent.toFixed(1)} lines per event${shed > 0 ? `; ${shed} subscriptions answered 503 and sent again` : ''}${resets > 0 ? `; ${resets} connections reset and subscribed again` : ''}`,
    } as const;
    const at = options.crossProcess ? `${options.subscribers}, across processes` : `${options.subscribers}`;
    return {
      figures: [
        {
          ...base,
          metric: `log() → subscriber p99 (${at})`,
          sundial: percentile(sorted, 99),
          ...(options.targetP99Ms !== undefined ? { target: { kind: 'at most', value: options.targetP99Ms } } : {}),
        },
        { ...base, metric: `log() → subscriber p95 (${at})`, sundial: percentile(sorted, 95) },
        { ...base, metric: `log() → subscriber p50 (${at})`, sundial: percentile(sorted, 50) },
        { ...base, metric: `lines missing or out of order (${at})`, unit: 'lines', sundial: missing, target: { kind: 'at most', value: 0 } },
        { ...base, metric: `log() → on the API's bus p99 (${at})`, sundial: percentile(published, 99) },
        { ...base, metric: `log() → on the API's bus p50 (${at})`, sundial: percentile(published, 50) },
        { ...base, metric: `API event loop busy (${at})`, unit: '%', sundial: Math.round(busy * 100) },
      ],
      details: { samples: sorted.length, expectedPerSubscriber: expected, complete, inOrder, missing, shed, resets, max: sorted.at(-1), linesPerEvent },
    };
  } finally {
    release?.();
    await clients?.stop();
    await worker?.stop();
    benchGate.go = null;
    await api.close();
  }
}
