// server.max_requests_in_flight through the real server: with the limit reached, the next GraphQL request is
// answered 503 with Retry-After at once, while health, readiness and an open subscription stream are untouched,
// and the requests that were in flight still get their answers. Requests are held in flight by sending their
// headers and only part of their body (the server counts a request from its arrival); the test waits for the
// server's own in-flight gauge to show them rather than for any time to pass.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { subscribe, type Subscription } from '../support/subscribe.js';
import { until } from '../support/wait.js';

const LIMIT = 2;
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ server: { port: 0, max_requests_in_flight: LIMIT } });
});
afterAll(async () => {
  await api?.close();
});

async function gauge(name: string): Promise<number> {
  const metric = api.app.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values[0]?.value ?? 0;
}

interface HeldRequest {
  /** Sends the rest of the body; resolves with the answer's status and body. */
  finish(): Promise<{ status: number; body: string }>;
  abort(): void;
}

/** A GraphQL request whose body is only half sent: it stays in flight until finish(). */
function holdRequest(token: string): HeldRequest {
  const body = JSON.stringify({ query: '{ health { status } }' });
  const half = Math.floor(body.length / 2);
  const request = http.request(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
  });
  answer.catch(() => {});
  request.flushHeaders();
  request.write(body.slice(0, half));
  return {
    finish() {
      request.end(body.slice(half));
      return answer;
    },
    abort() {
      request.destroy();
    },
  };
}

describe('server.max_requests_in_flight', () => {
  it('answers 503 with Retry-After past the limit, and serves the rest', async () => {
    // A live stream that has begun does not count against the limit.
    const feed: Subscription<{ runFeed: { id: string } | null }> = await subscribe(api.url, 'subscription { runFeed { id } }', {}, api.adminToken);
    const held: HeldRequest[] = [];
    try {
      await until('the subscription to leave the count', async () => (await gauge('sundial_http_requests_in_flight')) === 0);
      const plain = await api.gql<{ health: { status: string } }>('{ health { status } }');
      expect(plain.data?.health.status).toBe('healthy');

      for (let index = 0; index < LIMIT; index++) held.push(holdRequest(api.adminToken));
      await until(`${LIMIT} requests in flight`, async () => (await gauge('sundial_http_requests_in_flight')) === LIMIT);

      const shedBefore = await gauge('sundial_http_requests_shed_total');
      const refused = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}` },
        body: JSON.stringify({ query: '{ health { status } }' }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const refusal = (await refused.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(refusal.errors[0]?.extensions.code).toBe('OVERLOADED');
      expect(refusal.errors[0]?.message).toMatch(/working on 2 requests already \(server\.max_requests_in_flight\); retry after 1 s/);
      expect(await gauge('sundial_http_requests_shed_total')).toBe(shedBefore + 1);

      // Probes are answered as usual while the limit is reached.
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);

      // The requests in flight were not dropped: they get their answers, and the count goes back down.
      for (const answer of await Promise.all(held.splice(0).map((request) => request.finish()))) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body)).toEqual({ data: { health: { status: 'healthy' } } });
      }
      await until('the count to go back to 0', async () => (await gauge('sundial_http_requests_in_flight')) === 0);
      const after = await api.gql<{ health: { status: string } }>('{ health { status } }');
      expect(after.data?.health.status).toBe('healthy');
    } finally {
      for (const request of held) request.abort();
      feed.close();
    }
  });

  it('lets go of a request whose client went away', async () => {
    const held = Array.from({ length: LIMIT }, () => holdRequest(api.adminToken));
    await until(`${LIMIT} requests in flight`, async () => (await gauge('sundial_http_requests_in_flight')) === LIMIT);
    for (const request of held) request.abort();
    await until('the count to go back to 0', async () => (await gauge('sundial_http_requests_in_flight')) === 0);
    const answer = await api.gql<{ health: { status: string } }>('{ health { status } }');
    expect(answer.data?.health.status).toBe('healthy');
  });
});
