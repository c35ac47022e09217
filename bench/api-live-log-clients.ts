// The live-log benchmark's subscribers, in a worker thread of their own: like real subscribers (browsers, other
// programs), their work does not run on the server's event loop. Each opens runLogLines over SSE (node:http) and
// notes when each chunk arrived, on process.hrtime (one monotonic clock for all threads of the process, also the
// action's clock in api-actions/bench-log.ts); a line's latency is measured to the arrival of its event's bytes.
import { setMaxListeners } from 'node:events';
import http from 'node:http';
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

/**
 * One subscriber over node:http. A chunk is noted with the moment it arrived and parsed later, when the stream
 * ends: the 200 subscribers share one thread here, and parsing each chunk on arrival would charge the last
 * subscriber of an event for the parsing of the 199 before it (real subscribers each parse on their own machine).
 * The ready line (sentAt 0) and the last line (sentAt -1) are looked for on arrival: they start and end the run.
 */
function subscriber(input: ClientsInput, signal: AbortSignal, ready: () => void): Promise<ClientResult> {
  return new Promise<ClientResult>((resolve, reject) => {
    const chunks: string[] = [];
    const arrivals: number[] = [];
    let isReady = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve(parse(chunks, arrivals));
    };
    const body = JSON.stringify({
      query: `subscription($runId: ID!) { runLogLines(runId: $runId) { lines { sequence data } } }`,
      variables: { runId: input.runId },
    });
    const request = http.request(`${input.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${input.token}` },
      signal,
    });
    request.on('error', (error) => {
      if (error.name === 'AbortError' || settled) finish();
      else reject(error);
    });
    request.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('end', finish);
      response.on('error', () => finish());
      response.on('data', (chunk: string) => {
        arrivals.push(nowMs());
        chunks.push(chunk);
        if (!isReady && chunk.includes('"sentAt":0}')) {
          isReady = true;
          ready();
        }
        if (chunk.includes('"sentAt":-1}')) finish();
      });
    });
    request.end(body);
  });
}

/** The SSE events in the chunks, each line timed by the arrival of the chunk that completed its event. */
function parse(chunks: string[], arrivals: number[]): ClientResult {
  const latencies: number[] = [];
  let buffer = '';
  let lastSequence = 0;
  let inOrder = true;
  let lines = 0;
  let events = 0;
  chunks.forEach((chunk, index) => {
    buffer += chunk;
    let start = 0;
    let end: number;
    while ((end = buffer.indexOf('\n\n', start)) >= 0) {
      const event = buffer.slice(start, end);
      start = end + 2;
      const at = event.indexOf('data: ');
      if (at < 0) continue;
      const batch = (JSON.parse(event.slice(at + 6)) as { data?: { runLogLines?: { lines: { sequence: number; data: { sentAt: number } }[] } } }).data
        ?.runLogLines;
      if (!batch) continue;
      events += 1;
      for (const line of batch.lines) {
        if (line.sequence <= lastSequence) inOrder = false;
        lastSequence = line.sequence;
        lines += 1;
        if (line.data.sentAt > 0) latencies.push(arrivals[index]! - line.data.sentAt);
      }
    }
    buffer = buffer.slice(start);
  });
  return { latencies: Float64Array.from(latencies), lines, events, inOrder };
}

if (parentPort) {
  const port = parentPort;
  const input = workerData as ClientsInput;
  const controller = new AbortController();
  // Every subscriber's request listens on this one signal until it closes: as many listeners as subscribers, by
  // design, not Node's default limit of 10 (which warns of a leak at the 11th).
  setMaxListeners(input.subscribers, controller.signal);
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
