// The jobs-page benchmark's client (the jobs page and the runs list), in a worker thread of its own: like a real client (a browser, an integrator's
// program) its work — building requests, reading and parsing responses — does not run on the server's event loop,
// so the latency measured is the server's. Requests go one after another over one keep-alive node:http connection.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

export interface PageClientInput {
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  /** Requests sent first and not timed: the worker's own connection, JIT and buffers warming up. */
  warmup: number;
  samples: number;
  /** Each response's connection must hold at least this many edges (a failed request is not a fast one). */
  minEdges: number;
}

export type PageClientMessage = { type: 'done'; latencies: number[] } | { type: 'failed'; message: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(input: PageClientInput, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${input.url}/graphql`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${input.token}`, 'content-length': Buffer.byteLength(body) },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function run(input: PageClientInput): Promise<number[]> {
  const body = JSON.stringify({ query: input.query, variables: input.variables });
  const latencies: number[] = [];
  for (let index = 0; index < input.warmup + input.samples; index++) {
    const started = performance.now();
    const text = await post(input, body);
    if (index >= input.warmup) latencies.push(performance.now() - started);
    const result = JSON.parse(text) as { errors?: unknown; data?: Record<string, { edges?: unknown[] } | undefined> };
    const connection = Object.values(result.data ?? {})[0];
    if (result.errors || (connection?.edges?.length ?? -1) < input.minEdges) throw new Error(`the page failed: ${text.slice(0, 500)}`);
  }
  return latencies;
}

if (parentPort) {
  const port = parentPort;
  run(workerData as PageClientInput).then(
    (latencies) => port.postMessage({ type: 'done', latencies } satisfies PageClientMessage),
    (error: unknown) => port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies PageClientMessage),
  );
}
