// @sundial/client (packages/client, as built to its dist/) against a real server: dispatch, run now, cancel, typed
// errors, and watchRun over Server-Sent Events and a WebSocket — resumed after a sequence, and reconnecting through
// a proxy that drops every connection mid-run without losing or repeating a log line.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, SundialError, type RunEvent, type SundialClient } from '@sundial/client';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
let client: SundialClient;

beforeAll(async () => {
  api = await startTestApi({ actions: { dir: 'apps/server/test/fixtures/api-actions' } });
  client = createClient({ url: api.url, token: api.adminToken });
});
afterAll(async () => {
  client?.close();
  await api?.close();
});

/** Every event of a watch, until it ends by itself. */
async function collect(events: AsyncIterable<RunEvent>, onEvent: (event: RunEvent, all: RunEvent[]) => void = () => {}): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) {
    all.push(event);
    onEvent(event, all);
  }
  return all;
}

const statuses = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'status' ? [event.run.status] : []));
const sequences = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'log' ? event.lines.map((line) => line.sequence) : []));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** A TCP proxy in front of the server whose connections can all be cut at once: a network that fails. */
async function startProxy(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((downstream) => {
    connections += 1;
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    cut: () => sockets.forEach((socket) => socket.destroy()),
    close: () => new Promise<void>((resolve) => {
      sockets.forEach((socket) => socket.destroy());
      server.close(() => resolve());
    }),
  };
}

describe('dispatch, runNow, cancel', () => {
  it('dispatches a run and watches it to the end: statuses in order, every log line once', async () => {
    const result = await client.dispatch({ action: 'test.steps', args: { steps: 5, stepMs: 5 }, title: 'from the client' });
    expect(result.status).toBe('QUEUED');
    expect(result.recurring).toBe(false);
    const run = result.run!;
    expect(run.title).toBe('from the client');

    const events = await collect(client.watchRun(run.id));
    expect(statuses(events).at(-1)).toBe('SUCCEEDED');
    const final = events.findLast((event) => event.type === 'status')!;
    expect(final.type === 'status' && final.run.output).toEqual({ steps: 5 });
    expect(sequences(events)).toEqual(range(1, 5));
    const messages = events.flatMap((event) => (event.type === 'log' ? event.lines.map((line) => line.message) : []));
    expect(messages).toEqual(['step 1', 'step 2', 'step 3', 'step 4', 'step 5']);
  });

  it('throws a ValidationError naming the field, and creates nothing', async () => {
    const jobs = await api.app.database.prisma.job.count();
    const error = await client.dispatch({ action: 'test.steps', args: { steps: -1 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SundialError);
    expect(error).toMatchObject({ kind: 'ValidationError' });
    expect((error as SundialError).fieldErrors.map((fieldError) => fieldError.field)).toEqual(['args.steps']);
    expect(await api.app.database.prisma.job.count()).toBe(jobs);
  });

  it('runs a scheduled job now with overridden args, and cancels a running run', async () => {
    const scheduled = await client.dispatch({ action: 'test.steps', name: 'later', args: { steps: 1 }, startAt: '2030-01-15T10:00:00Z' });
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', run: null, scheduledAt: '2030-01-15T10:00:00.000Z' });

    const run = await client.runNow(scheduled.job.id, { args: { steps: 100_000, stepMs: 50 }, title: 'long' });
    expect(run).toMatchObject({ title: 'long', trigger: 'API' });
    let cancelled: string | null = null;
    const events = await collect(client.watchRun(run.id), (event) => {
      if (event.type === 'log' && cancelled === null) {
        cancelled = 'asked';
        void client.cancel(run.id).then((answer) => (cancelled = answer.status));
      }
    });
    expect(['CANCELLING', 'CANCELLED']).toContain(cancelled);
    expect(statuses(events).at(-1)).toBe('CANCELLED');
    expect(sequences(events)).toEqual(range(1, sequences(events).length));

    const again = await client.cancel(run.id).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ kind: 'ConflictError' });
  });

  it('says which run is missing, and refuses a wrong token', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await client.run(missing)).toBeNull();
    await expect(collect(client.watchRun(missing))).rejects.toMatchObject({ kind: 'NotFoundError' });
    await expect(client.runNow(missing)).rejects.toMatchObject({ kind: 'NotFoundError' });

    const stranger = createClient({ url: api.url, token: 'sdt_wrong' });
    await expect(stranger.dispatch({ action: 'test.steps' })).rejects.toMatchObject({ kind: 'GraphQLError', message: expect.stringMatching(/^Not authorized/) });
    await expect(collect(stranger.watchRun(missing))).rejects.toMatchObject({ kind: 'GraphQLError' });
    stranger.close();
  });
});

describe('watchRun', () => {
  it('resumes after a sequence number', async () => {
    const { run } = await client.dispatch({ action: 'test.steps', args: { steps: 6, stepMs: 1 } });
    await collect(client.watchRun(run!.id));
    const resumed = await collect(client.watchRun(run!.id, { afterSequence: 4 }));
    expect(sequences(resumed)).toEqual([5, 6]);
    expect(statuses(resumed)).toEqual(['SUCCEEDED']);
  });

  it('works the same over a WebSocket', async () => {
    const overWs = createClient({ url: api.url, token: api.adminToken, transport: 'websocket' });
    try {
      const { run } = await overWs.dispatch({ action: 'test.steps', args: { steps: 4, stepMs: 5 } });
      const events = await collect(overWs.watchRun(run!.id));
      expect(statuses(events).at(-1)).toBe('SUCCEEDED');
      expect(sequences(events)).toEqual(range(1, 4));
    } finally {
      overWs.close();
    }
  });

  it.each(['sse', 'websocket'] as const)('reconnects when the connection drops (%s), without losing or repeating a line', async (transport) => {
    const proxy = await startProxy(api.url);
    const flaky = createClient({ url: proxy.url, token: api.adminToken, transport });
    try {
      const { run } = await client.dispatch({ action: 'test.steps', args: { steps: 40, stepMs: 20 } });
      let cuts = 0;
      const events = await collect(flaky.watchRun(run!.id, { reconnect: { delayMs: () => 20 } }), (event, all) => {
        // Cut every connection twice while the run is still logging.
        if (event.type === 'log' && cuts < 2 && sequences(all).length >= 5 * (cuts + 1)) {
          cuts += 1;
          proxy.cut();
        }
      });
      expect(cuts).toBe(2);
      expect(proxy.connections()).toBeGreaterThan(2);
      expect(statuses(events).at(-1)).toBe('SUCCEEDED');
      expect(sequences(events)).toEqual(range(1, 40));
    } finally {
      flaky.close();
      await proxy.close();
    }
  });

  it('gives up after the reconnection attempts, with the cause', async () => {
    const proxy = await startProxy(api.url);
    const flaky = createClient({ url: proxy.url, token: api.adminToken });
    const { run } = await client.dispatch({ action: 'test.steps', args: { steps: 100_000, stepMs: 50 } });
    try {
      const watching = collect(flaky.watchRun(run!.id, { reconnect: { attempts: 2, delayMs: () => 1 } }), (event) => {
        if (event.type === 'log') void proxy.close();
      });
      await expect(watching).rejects.toMatchObject({ kind: 'NetworkError', message: expect.stringMatching(/^the connection to Sundial was lost/) });
    } finally {
      flaky.close();
      await proxy.close();
      await client.cancel(run!.id);
    }
  });

  it('stops without an error when its signal aborts', async () => {
    const { run } = await client.dispatch({ action: 'test.steps', args: { steps: 100_000, stepMs: 50 } });
    const stop = new AbortController();
    const events = await collect(client.watchRun(run!.id, { signal: stop.signal }), (event) => {
      if (event.type === 'log') stop.abort();
    });
    expect(sequences(events).length).toBeGreaterThan(0);
    await client.cancel(run!.id);
  });
});
