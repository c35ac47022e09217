// The live-log benchmark's subscribers, in a worker thread of their own: like real subscribers (browsers, other
// programs), their parsing does not run on the server's event loop. Each opens runLogLines over SSE and notes, for
// every line, when the event carrying it was parsed, on process.hrtime (one monotonic clock for all threads of the
// process, also the action's clock in api-actions/bench-log.ts).
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientsInput {
  url: string;
  token: string;
  runId: string;
  subscribers: number;
}

export interface ClientResult {
  latencies: Float64Array;
  lines: number;
  events: number;
  inOrder: boolean;
}

export type ClientsMessage = { type: 'ready' } | { type: 'done'; results: ClientResult[] } | { type: 'failed'; message: string };

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function subscriber(input: ClientsInput, signal: AbortSignal, ready: () => void): Promise<ClientResult> {
  const response = await fetch(`${input.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${input.token}` },
    body: JSON.stringify({ query: `subscription($runId: ID!) { runLogLines(runId: $runId) { lines { sequence data } } }`, variables: { runId: input.runId } }),
    signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const latencies: number[] = [];
  let buffer = '';
  let lastSequence = 0;
  let inOrder = true;
  let lines = 0;
  let events = 0;
  const result = (): ClientResult => ({ latencies: Float64Array.from(latencies), lines, events, inOrder });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return result();
      buffer += value;
      let start = 0;
      let end: number;
      while ((end = buffer.indexOf('\n\n', start)) >= 0) {
        const event = buffer.slice(start, end);
        start = end + 2;
        const at = event.indexOf('data: ');
        if (at < 0) continue;
        const now = nowMs();
        const batch = (JSON.parse(event.slice(at + 6)) as { data?: { runLogLines?: { lines: { sequence: number; data: { sentAt: number } }[] } } }).data
          ?.runLogLines;
        if (!batch) continue;
        events += 1;
        for (const line of batch.lines) {
          if (line.sequence <= lastSequence) inOrder = false;
          lastSequence = line.sequence;
          lines += 1;
          if (line.data.sentAt === 0) ready();
          else if (line.data.sentAt === -1) return result();
          else latencies.push(now - line.data.sentAt);
        }
      }
      buffer = buffer.slice(start);
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    return result();
  } finally {
    void reader.cancel().catch(() => {});
  }
}

if (parentPort) {
  const port = parentPort;
  const input = workerData as ClientsInput;
  const controller = new AbortController();
  port.on('message', (message: string) => {
    if (message === 'stop') controller.abort();
  });
  let waiting = input.subscribers;
  const ready = () => {
    waiting -= 1;
    if (waiting === 0) port.postMessage({ type: 'ready' } satisfies ClientsMessage);
  };
  Promise.all(Array.from({ length: input.subscribers }, () => subscriber(input, controller.signal, ready))).then(
    (results) => port.postMessage({ type: 'done', results } satisfies ClientsMessage, results.map((result) => result.latencies.buffer as ArrayBuffer)),
    (error: unknown) => port.postMessage({ type: 'failed', message: String(error) } satisfies ClientsMessage),
  );
}
