// Live log latency through the real server: an action writes 1,000 lines/s (log.info) while 200 clients are
// subscribed to runLog over Server-Sent Events; latency = the moment a subscriber parses a line − the moment the
// action wrote it (both in this process, so one clock). Reports p99 (target ≤ 50 ms) and whether every subscriber
// got every line, in order.
import { performance } from 'node:perf_hooks';
import { benchGate } from './api-actions/bench-log.js';
import { percentile, startBenchApi, type BenchApi } from './api-setup.js';
import type { DatabaseModeName, Figure } from './report.js';

export interface LiveLogOptions {
  mode: DatabaseModeName;
  subscribers: number;
  linesPerSecond: number;
  seconds: number;
}

interface Subscriber {
  ready: Promise<void>;
  finished: Promise<{ latencies: number[]; lines: number; inOrder: boolean }>;
  stop(): void;
}

function subscribe(api: BenchApi, runId: string): Subscriber {
  const controller = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const finished = (async () => {
    const response = await fetch(`${api.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${api.token}` },
      body: JSON.stringify({ query: `subscription($runId: ID!) { runLog(runId: $runId) { sequence data } }`, variables: { runId } }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const latencies: number[] = [];
    let buffer = '';
    let lastSequence = 0;
    let inOrder = true;
    let lines = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (!data) continue;
          const now = performance.timeOrigin + performance.now();
          const line = (JSON.parse(data) as { data?: { runLog?: { sequence: number; data: { sentAt: number } } } }).data?.runLog;
          if (!line) continue;
          if (line.sequence <= lastSequence) inOrder = false;
          lastSequence = line.sequence;
          lines += 1;
          if (line.data.sentAt === 0) markReady();
          else if (line.data.sentAt === -1) return { latencies, lines, inOrder };
          else latencies.push(now - line.data.sentAt);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
    return { latencies, lines, inOrder };
  })();
  return { ready, finished, stop: () => controller.abort() };
}

export async function benchLiveLog(options: LiveLogOptions): Promise<{ figures: Figure[]; details: unknown }> {
  const api = await startBenchApi(options.mode, { jobs: { concurrency: 4 }, server: { port: 0, max_body_bytes: 1024 * 1024 } });
  let release!: () => void;
  benchGate.go = new Promise<void>((resolve) => (release = resolve));
  const subscribers: Subscriber[] = [];
  try {
    const job = await api.app.engine.jobs.create({
      name: 'live log bench',
      action: 'bench.log',
      args: { linesPerSecond: options.linesPerSecond, seconds: options.seconds },
    });
    const run = await api.app.engine.runs.start(job.id, { trigger: 'API' });
    for (let index = 0; index < options.subscribers; index++) subscribers.push(subscribe(api, run.id));
    await Promise.all(subscribers.map((subscriber) => subscriber.ready));
    release();
    const results = await Promise.all(subscribers.map((subscriber) => subscriber.finished));
    const all = results.flatMap((result) => result.latencies).sort((a, b) => a - b);
    const expected = Math.round(options.linesPerSecond * options.seconds);
    const complete = results.every((result) => result.latencies.length === expected);
    const inOrder = results.every((result) => result.inOrder);
    const base = {
      benchmark: 'api-live-log',
      mode: options.mode,
      agenda: null,
      unit: 'ms',
      better: 'lower',
      note: `${options.subscribers} subscribers, ${options.linesPerSecond} lines/s for ${options.seconds} s; ${complete && inOrder ? 'all lines, in order' : 'LINES MISSING OR OUT OF ORDER'}`,
    } as const;
    return {
      figures: [
        { ...base, metric: 'log() → subscriber p99', sundial: percentile(all, 99), target: { kind: 'at most', value: 50 } },
        { ...base, metric: 'log() → subscriber p50', sundial: percentile(all, 50) },
      ],
      details: { samples: all.length, expectedPerSubscriber: expected, complete, inOrder, max: all.at(-1) },
    };
  } finally {
    release?.();
    for (const subscriber of subscribers) subscriber.stop();
    benchGate.go = null;
    await api.close();
  }
}
