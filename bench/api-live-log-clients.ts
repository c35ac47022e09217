// The live-log benchmark's subscribers, in a worker thread of their own: like real subscribers (browsers, other
// programs), their work does not run on the server's event loop. Each opens runLogLines over SSE (node:http) and
// notes when each chunk arrived, in ms since the epoch at sub-millisecond precision (performance.timeOrigin + now:
// one clock for every thread and process on the machine, also the action's in api-actions/bench-log.ts, which may
// run in another process); a line's latency is measured to the arrival of its event's bytes.
// A subscription answered 503 (the server's max_requests_in_flight, reached while hundreds subscribe at once) is
// sent again after the Retry-After asked for, as a well-behaved client does; they are counted.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
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
  /** Subscriptions answered 503 and sent again. */
  shed: number;
  /** Subscriptions whose connection was reset and that were sent again. */
  resets: number;
}

export type ClientsMessage = { type: 'ready' } | { type: 'done'; results: ClientResult[] } | { type: 'failed'; message: string };

const nowMs = () => performance.timeOrigin + performance.now();

/**
 * One subscriber over node:http. A chunk is noted with the moment it arrived and parsed later, when the stream
 * ends: the subscribers share one thread here, and parsing each chunk on arrival would charge the last subscriber
 * of an event for the parsing of those before it (real subscribers each parse on their own machine).
 * The ready line (sentAt 0) and the last line (sentAt -1) are looked for on arrival: they start and end the run.
 * Each subscriber's request is its own to end (`stopping`): a signal shared by all of them would hold one abort
 * listener per subscriber.
 */
async function subscriber(input: ClientsInput, stopping: Set<() => void>, ready: () => void): Promise<ClientResult> {
  const body = JSON.stringify({
    query: `subscription($runId: ID!) { runLogLines(runId: $runId) { lines { sequence data } } }`,
    variables: { runId: input.runId },
  });
  // Counted once per subscriber, however many times it subscribes.
  let counted = false;
  const readyOnce = () => {
    if (counted) return;
    counted = true;
    ready();
  };
  let shed = 0;
  let resets = 0;
  for (;;) {
    let answer: Answer;
    try {
      answer = await subscribeOnce(input, body, stopping, readyOnce);
    } catch (error) {
      // A connection reset by a server too busy to read it in time (headers_timeout_ms) is subscribed again, from
      // the start: the stored lines come first, so a line is missed only if the run ends meanwhile.
      if (resets >= 5) throw error;
      resets += 1;
      await sleep(1000);
      continue;
    }
    if (answer.status !== 503) return { ...parse(answer.chunks, answer.arrivals), shed, resets };
    shed += 1;
    await sleep(answer.retryAfter * 1000);
  }
}

interface Answer {
  status: number;
  retryAfter: number;
  chunks: string[];
  arrivals: number[];
}

function subscribeOnce(input: ClientsInput, body: string, stopping: Set<() => void>, ready: () => void): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const chunks: string[] = [];
    const arrivals: number[] = [];
    let status = 0;
    let retryAfter = 1;
    let isReady = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      stopping.delete(finish);
      request.destroy();
      resolve({ status, retryAfter, chunks, arrivals });
    };
    stopping.add(finish);
    const request = http.request(`${input.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${input.token}` },
    });
    request.on('error', (error) => {
      if (settled) return;
      stopping.delete(finish);
      settled = true;
      reject(error);
    });
    request.on('response', (response) => {
      status = response.statusCode ?? 0;
      retryAfter = Number(response.headers['retry-after'] ?? 1);
      response.setEncoding('utf8');
      response.on('end', finish);
      response.on('error', () => finish());
      if (status !== 200) {
        response.resume();
        return;
      }
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
function parse(chunks: string[], arrivals: number[]): Omit<ClientResult, 'shed' | 'resets'> {
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
  const stopping = new Set<() => void>();
  port.on('message', (message: string) => {
    if (message === 'stop') for (const stop of [...stopping]) stop();
  });
  let waiting = input.subscribers;
  const ready = () => {
    waiting -= 1;
    if (waiting === 0) port.postMessage({ type: 'ready' } satisfies ClientsMessage);
  };
  Promise.all(Array.from({ length: input.subscribers }, () => subscriber(input, stopping, ready))).then(
    (results) => port.postMessage({ type: 'done', results } satisfies ClientsMessage, results.map((result) => result.latencies.buffer as ArrayBuffer)),
    (error: unknown) => port.postMessage({ type: 'failed', message: String(error) } satisfies ClientsMessage),
  );
}
