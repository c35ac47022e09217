// GraphQL over a WebSocket (graphql-ws protocol) on the real server: the same authentication, document and variables
// limits as over HTTP, and the HTTP layer's checks on the upgrade request (server.allowed_hosts, the Origin of a
// browser page, the per-address connection cap). Closing on revoke is in api-subscription-guard.test.ts, which
// runs its cases over both transports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { subscribe } from '../support/subscribe.js';
import { subscribeWs } from '../support/subscribe-ws.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    server: { port: 0, max_connections_per_address: 6, cors_origins: ['https://admin.example.com'] },
    graphql: { max_depth: 4, max_variables_depth: 3 },
  });
});
afterAll(async () => {
  await api?.close();
});

/** Opens a raw socket with these upgrade headers; resolves with the HTTP status of a refusal, or 101. */
function handshake(headers: Record<string, string>, path = '/graphql'): Promise<{ status: number; body: string; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${api.url.replace(/^http/, 'ws')}${path}`, 'graphql-transport-ws', { headers });
    socket.once('open', () => resolve({ status: 101, body: '', socket }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket }));
    });
    socket.once('error', (error) => reject(error));
  });
}

describe('operations', () => {
  it('streams a subscription with the token sent in connection_init', async () => {
    const job = await api.app.engine.jobs.create({ name: 'over a WebSocket', action: 'examples.noop', args: {} });
    const run = await api.app.engine.runs.start(job.id, { trigger: 'MANUAL' });
    const watch = await subscribeWs<{ runUpdated: { id: string; status: string } | null }>(
      api.url,
      'subscription ($id: ID!) { runUpdated(runId: $id) { id status } }',
      { id: run.id },
      api.adminToken,
    );
    const done = await watch.waitFor((event) => event.data?.runUpdated?.status === 'SUCCEEDED', 20_000, 'the run to succeed');
    expect(done.data?.runUpdated?.id).toBe(run.id);
    watch.close();
  });

  it('answers queries too, as the token\'s owner', async () => {
    const viewer = await subscribeWs<{ viewer: { email: string; via: string } }>(api.url, '{ viewer { email via } }', {}, api.adminToken);
    await viewer.ended;
    expect(viewer.events).toEqual([{ data: { viewer: { email: ADMIN.email, via: 'token' } } }]);
  });

  it('refuses without a token, or with a wrong one, as over Server-Sent Events', async () => {
    for (const token of [null, 'sdt_not-a-real-token']) {
      const messages = [];
      for (const open of [subscribe, subscribeWs]) {
        const feed = await open(api.url, 'subscription { runFeed { id } }', {}, token);
        await feed.ended;
        messages.push(feed.events.flatMap((event) => event.errors ?? []).map((error) => error.message));
      }
      expect(messages[1]).toEqual(messages[0]);
      expect(messages[1]).toEqual(['Not authorized to resolve Subscription.runFeed']);
    }
  });

  it('applies the document limits (graphql.max_depth) and variables limits (graphql.max_variables_depth)', async () => {
    const deep = await subscribeWs(api.url, 'subscription { runFeed { job { runs { edges { node { id } } } } } }', {}, api.adminToken);
    await deep.ended;
    expect(deep.events[0]?.errors?.[0]?.message).toMatch(/Query depth limit of 4 exceeded, found \d+ \(graphql\.max_depth\)\./);

    const nested = await subscribeWs(api.url, 'subscription ($id: ID!) { runUpdated(runId: $id) { id } }', { id: 'x', extra: { a: { b: { c: 1 } } } }, api.adminToken);
    await nested.ended;
    expect(nested.events[0]?.errors?.[0]?.message).toBe('variables are nested deeper than the limit of 3 levels (graphql.max_variables_depth), at variables.extra.a.b.');
  });
});

describe('the upgrade request', () => {
  it('is refused for a host not in server.allowed_hosts (DNS rebinding), with the same answer as HTTP', async () => {
    const refused = await handshake({ host: 'rebind.attacker.example' });
    expect(refused.status).toBe(421);
    expect(JSON.parse(refused.body)).toEqual({
      errors: [{ message: 'This server does not answer to the host rebind.attacker.example; add it to server.allowed_hosts if it should.', extensions: { code: 'MISDIRECTED_REQUEST' } }],
    });
  });

  it('is refused from a page of another origin, accepted from its own and a configured one', async () => {
    const host = new URL(api.url).host;
    expect((await handshake({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await handshake({ origin: 'null' })).status).toBe(403);
    for (const origin of [`http://${host}`, 'https://admin.example.com']) {
      const accepted = await handshake({ origin });
      expect(accepted.status, origin).toBe(101);
      accepted.socket.close();
    }
  });

  it('is refused at any path but the GraphQL endpoint', async () => {
    const refused = await handshake({}, '/other');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body).errors[0].message).toBe('WebSocket connections are accepted at /graphql only (graphql-ws protocol).');
  });

  it('counts against server.max_connections_per_address while open', async () => {
    const open: WebSocket[] = [];
    try {
      // Six at most from one address (this test's own HTTP keep-alive connections may hold some): sockets are
      // accepted until one is closed before its handshake is answered.
      let refused: unknown = null;
      while (refused === null && open.length <= 6) {
        await handshake({}).then(
          (accepted) => open.push(accepted.socket),
          (error: unknown) => (refused = error),
        );
      }
      expect(String(refused)).toMatch(/socket hang up|ECONNRESET/);
      expect(open.length).toBeGreaterThanOrEqual(1);
      expect(open.length).toBeLessThanOrEqual(6);
      // One closed frees a place.
      const closed = new Promise<void>((resolve) => open[0]!.once('close', () => resolve()));
      open[0]!.close();
      await closed;
      const again = await handshake({});
      expect(again.status).toBe(101);
      open.push(again.socket);
    } finally {
      for (const socket of open) socket.terminate();
    }
  });
});
