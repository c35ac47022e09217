// The API-under-load benchmark's clients, in a worker thread of their own (their work is not the server's): each
// of N clients sends one request after another for the given time over its own keep-alive connection, taking the
// operations in turn from a fixed mix. A 503 is a shed request, counted apart; the client waits the Retry-After
// the server asked for, as a well-behaved client does. Anything else that is not a 200 with data and no errors is
// an error.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LoadOperation {
  name: string;
  /** How many of every 20 requests are this one. */
  weight: number;
  query: string;
  /** Variables for the i-th request of this operation (chosen in the main thread, sent as a list to cycle). */
  variables: Record<string, unknown>[];
  /** Text a good answer holds (e.g. the success member of a mutation's result union). */
  expect?: string;
}

export interface LoadClientsInput {
  url: string;
  token: string;
  clients: number;
  seconds: number;
  operations: LoadOperation[];
}

export interface OperationResult {
  name: string;
  latencies: Float64Array;
  shed: number;
  errors: number;
}

export type LoadClientsMessage =
  | { type: 'done'; results: OperationResult[]; firstErrors: string[]; elapsedMs: number }
  | { type: 'failed'; message: string };

interface Answer {
  status: number;
  retryAfter: number;
  text: string;
}

function post(agent: http.Agent, url: string, token: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, retryAfter: Number(response.headers['retry-after'] ?? 1), text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function run(input: LoadClientsInput): Promise<Extract<LoadClientsMessage, { type: 'done' }>> {
  // The mix as a cycle of 20 slots; each client starts at its own place in it.
  const cycle = input.operations.flatMap((operation, index) => Array.from({ length: operation.weight }, () => index));
  const latencies = input.operations.map(() => [] as number[]);
  const shed = input.operations.map(() => 0);
  const errors = input.operations.map(() => 0);
  const sent = input.operations.map(() => 0);
  const firstErrors: string[] = [];
  const started = performance.now();
  const deadline = started + input.seconds * 1000;
  const client = async (index: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let turn = index; performance.now() < deadline; turn++) {
        const which = cycle[turn % cycle.length]!;
        const operation = input.operations[which]!;
        const variables = operation.variables[sent[which]! % operation.variables.length];
        sent[which]! += 1;
        const at = performance.now();
        let answer: Answer;
        try {
          answer = await post(agent, input.url, input.token, JSON.stringify({ query: operation.query, variables }));
        } catch (error) {
          errors[which]! += 1;
          if (firstErrors.length < 5) firstErrors.push(`${operation.name}: ${String(error)}`);
          continue;
        }
        const took = performance.now() - at;
        if (answer.status === 503) {
          shed[which]! += 1;
          await sleep(answer.retryAfter * 1000);
          continue;
        }
        const result = (() => {
          try {
            return JSON.parse(answer.text) as { data?: unknown; errors?: unknown };
          } catch {
            return null;
          }
        })();
        if (answer.status !== 200 || !result?.data || result.errors || (operation.expect && !answer.text.includes(operation.expect))) {
          errors[which]! += 1;
          if (firstErrors.length < 5) firstErrors.push(`${operation.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
          continue;
        }
        latencies[which]!.push(took);
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: input.clients }, (_, index) => client(index)));
  return {
    type: 'done',
    elapsedMs: performance.now() - started,
    firstErrors,
    results: input.operations.map((operation, index) => ({
      name: operation.name,
      latencies: Float64Array.from(latencies[index]!),
      shed: shed[index]!,
      errors: errors[index]!,
    })),
  };
}

if (parentPort) {
  const port = parentPort;
  run(workerData as LoadClientsInput).then(
    (message) => port.postMessage(message satisfies LoadClientsMessage),
    (error: unknown) => port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies LoadClientsMessage),
  );
}
