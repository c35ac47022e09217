// The HTTP layer's defences, through the real server: CORS only for configured origins, CSRF prevention, the body
// size cap (413 before GraphQL reads anything), security headers, no cross-site WebSocket, and GraphiQL/introspection
// off under NODE_ENV=production unless configured.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { subscribe } from '../support/subscribe.js';

const ALLOWED = 'https://admin.example.com';
const MAX_BODY = 64 * 1024;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ server: { port: 0, cors_origins: [ALLOWED], max_body_bytes: MAX_BODY } });
});
afterAll(async () => {
  await api?.close();
});

function graphql(body: string | object, headers: Record<string, string> = {}, method = 'POST') {
  return fetch(`${api.url}/graphql`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A raw request with node:http, for what fetch will not send (chunked bodies, lying lengths). */
function rawRequest(options: http.RequestOptions, write: (req: http.ClientRequest) => void) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const url = new URL(api.url);
    const req = http.request({ host: url.hostname, port: url.port, path: '/graphql', method: 'POST', ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    // The server may close the connection while we still write: the answer is what counts.
    req.on('error', (error) => (error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error)));
    write(req);
  });
}

describe('CORS', () => {
  it('answers a configured origin with exactly that origin and credentials', async () => {
    const preflight = await fetch(`${api.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');

    const response = await graphql({ query: '{ health { status } }' }, { origin: ALLOWED });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it.each(['https://evil.example', 'null', 'https://admin.example.com.evil.example', 'http://admin.example.com'])(
    'sends no CORS headers to origin %s (no echo)',
    async (origin) => {
      const preflight = await fetch(`${api.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const response = await graphql({ query: '{ health { status } }' }, { origin });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    },
  );

  it('by default (no cors_origins) echoes no origin at all', async () => {
    const other = await startTestApi();
    try {
      const response = await fetch(`${other.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ALLOWED },
        body: JSON.stringify({ query: '{ health { status } }' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('CSRF', () => {
  const mutation = 'mutation { signOut }';

  it.each([
    ['text/plain', 'text/plain'],
    ['a form post', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
  ])('refuses a %s request a page on another site could send without a preflight', async (_name, contentType) => {
    const response = await graphql(JSON.stringify({ query: mutation }), { 'content-type': contentType, cookie: 'sundial_session=sds_x' });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.message).toMatch(/CSRF/);
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN_ORIGIN');
  });

  it('accepts a simple content type with the CSRF header (it forces a preflight)', async () => {
    const response = await graphql(JSON.stringify({ query: '{ health { status } }' }), {
      'content-type': 'text/plain',
      'x-sundial-csrf': '1',
    });
    expect(response.status).not.toBe(403);
  });

  it('refuses a cookie-carrying POST from a foreign origin, allows same origin and configured ones', async () => {
    const host = new URL(api.url).host;
    const foreign = await graphql({ query: mutation }, { origin: 'https://evil.example', cookie: 'sundial_session=sds_x' });
    expect(foreign.status).toBe(403);
    const same = await graphql({ query: '{ health { status } }' }, { origin: `http://${host}`, cookie: 'sundial_session=sds_x' });
    expect(same.status).toBe(200);
    const configured = await graphql({ query: '{ health { status } }' }, { origin: ALLOWED, cookie: 'sundial_session=sds_x' });
    expect(configured.status).toBe(200);
  });

  it('does not run mutations over GET', async () => {
    const response = await fetch(`${api.url}/graphql?query=${encodeURIComponent(mutation)}`, {
      headers: { authorization: `Bearer ${api.adminToken}`, accept: 'application/json' },
    });
    expect(response.status).toBe(405);
  });
});

describe('request body size', () => {
  const bigName = (bytes: number) => 'x'.repeat(bytes);
  // A valid mutation padded to a size: without the cap it would succeed and create a token.
  const createToken = (padding: string) => ({
    query: 'mutation($name: String!) { createApiToken(name: $name) { token { id } } }',
    variables: { name: 'padded', padding },
  });

  it('answers 413 with a clear JSON message for a declared length over the limit, and changes nothing', async () => {
    const before = await api.app.database.prisma.apiToken.count();
    const response = await graphql(createToken(bigName(MAX_BODY * 2)), { authorization: `Bearer ${api.adminToken}` });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.message).toBe(`Request body is larger than the limit of ${MAX_BODY} bytes (server.max_body_bytes).`);
    expect(body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await api.app.database.prisma.apiToken.count()).toBe(before);
  });

  it('cuts off a chunked body (no Content-Length) as soon as it passes the limit', async () => {
    const before = await api.app.database.prisma.apiToken.count();
    const payload = JSON.stringify(createToken(bigName(MAX_BODY * 4)));
    const result = await rawRequest(
      { headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}`, 'transfer-encoding': 'chunked' } },
      (req) => {
        for (let at = 0; at < payload.length; at += 8192) req.write(payload.slice(at, at + 8192));
        req.end();
      },
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await api.app.database.prisma.apiToken.count()).toBe(before);
  });

  it('accepts a body under the limit, chunked or not', async () => {
    const payload = JSON.stringify(createToken(bigName(MAX_BODY / 2)));
    const chunked = await rawRequest(
      { headers: { 'content-type': 'application/json', authorization: `Bearer ${api.adminToken}`, 'transfer-encoding': 'chunked' } },
      (req) => {
        req.write(payload.slice(0, 50));
        req.end(payload.slice(50));
      },
    );
    expect(chunked.status, chunked.body).toBe(200);
    expect(JSON.parse(chunked.body).errors, chunked.body).toBeUndefined();
    expect(JSON.parse(chunked.body).data.createApiToken.token.id).toBeTruthy();
    const plain = await graphql(createToken(bigName(MAX_BODY - 1000)), { authorization: `Bearer ${api.adminToken}` });
    expect(plain.status).toBe(200);
  });

  it('keeps serving after refusing a body', async () => {
    const response = await graphql({ query: '{ health { status } }' });
    expect(((await response.json()) as { data: { health: { status: string } } }).data.health.status).toBe('healthy');
  });
});

describe('headers and transports', () => {
  it('sends nosniff, no framing and no referrer on every response', async () => {
    for (const path of ['/graphql', '/healthz', '/']) {
      const response = await fetch(`${api.url}${path}`, path === '/graphql' ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' } : {});
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('refuses WebSocket upgrades from a page of another site (a handshake is not covered by CORS)', async () => {
    const url = new URL(api.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(
          `GET /graphql HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n' +
            'Cookie: sundial_session=stolen\r\nOrigin: https://evil.example\r\n\r\n',
        );
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1.1 403/);
    expect(answer).toContain('WebSocket connections from origin https://evil.example are not allowed (server.cors_origins).');
    expect(answer).not.toMatch(/101 Switching Protocols/);
  });
});

describe('production mode', () => {
  async function startWithNodeEnv(nodeEnv: string, graphqlConfig: Record<string, unknown> = {}) {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = nodeEnv;
    try {
      return await startTestApi({ graphql: graphqlConfig });
    } finally {
      process.env.NODE_ENV = previous;
    }
  }

  const introspect = (target: TestApi) =>
    target.gql<{ __schema: { queryType: { name: string } } }>('{ __schema { queryType { name } } }');

  it('hides introspection, GraphiQL and field suggestions under NODE_ENV=production', async () => {
    const production = await startWithNodeEnv('production');
    try {
      const introspection = await introspect(production);
      expect(introspection.data ?? null).toBeNull();
      expect(introspection.errors?.[0]?.message).toMatch(/Introspection is disabled/);
      const typeQuery = await production.gql('{ __type(name: "Query") { name } }');
      expect(typeQuery.errors?.[0]?.message).toMatch(/Introspection is disabled/);
      // __typename is not introspection: clients need it.
      expect((await production.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });

      const page = await fetch(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toMatch(/graphiql/i);

      const typo = await production.gql('{ healt { status } }');
      expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/);
    } finally {
      await production.close();
    }
  });

  it('keeps introspection and GraphiQL when configured, even in production', async () => {
    const configured = await startWithNodeEnv('production', { introspection: true, graphiql: true });
    try {
      expect((await introspect(configured)).data?.__schema.queryType.name).toBe('Query');
      const page = await fetch(`${configured.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).toMatch(/graphiql/i);
    } finally {
      await configured.close();
    }
  });

  it('has introspection on outside production (development default)', async () => {
    expect((await introspect(api)).data?.__schema.queryType.name).toBe('Query');
  });
});

/** A request with any Host header (fetch will not let one be set). */
function withHost(host: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return rawRequest({ path, method: body === undefined ? 'GET' : 'POST', headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } }, (req) =>
    req.end(body),
  );
}

describe('Host allow-list (server.allowed_hosts)', () => {
  it('answers 421 to a Host it does not serve (DNS rebinding), whatever the path', async () => {
    for (const path of ['/graphql?query=%7Bhealth%7Bstatus%7D%7D', '/', '/jobs']) {
      const refused = await withHost('rebind.attacker.example', path);
      expect(refused.status).toBe(421);
      expect(JSON.parse(refused.body)).toEqual({
        errors: [
          {
            message: 'This server does not answer to the host rebind.attacker.example; add it to server.allowed_hosts if it should.',
            extensions: { code: 'MISDIRECTED_REQUEST' },
          },
        ],
      });
    }
    // The health check answers whatever the Host (probes use an address).
    expect((await withHost('10.1.2.3:4000', '/healthz')).status).toBe(200);
  });

  it('serves loopback names by default, and the configured and public hosts', async () => {
    const port = new URL(api.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect((await withHost(host, '/graphql?query=%7Bhealth%7Bstatus%7D%7D')).status, host).toBe(200);
    }
    const configured = await startTestApi({ server: { port: 0, allowed_hosts: ['sundial.internal'], public_url: 'https://sundial.example.com' } });
    try {
      const ask = (host: string) =>
        new Promise<number>((resolve, reject) => {
          const url = new URL(configured.url);
          http.get({ host: url.hostname, port: url.port, path: '/graphql?query=%7Bhealth%7Bstatus%7D%7D', headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }).on('error', reject);
        });
      expect(await ask('sundial.internal:4000')).toBe(200);
      expect(await ask('sundial.example.com')).toBe(200);
      expect(await ask('other.example.com')).toBe(421);
    } finally {
      await configured.close();
    }
  });
});

describe('forwarded headers (server.trust_proxy)', () => {
  const lastSignIn = () => api.app.database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'signIn' }, orderBy: { id: 'desc' } });
  const signIn = JSON.stringify({ query: 'mutation { signIn(email: "nobody@example.com", password: "wrong-password") { email } }' });

  it('ignores X-Forwarded-For, -Host and -Proto from a client that is not a trusted proxy', async () => {
    const answer = await withHost(new URL(api.url).host, '/graphql', {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
    }, signIn);
    expect(answer.status).toBe(200);
    expect((await lastSignIn()).ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    // A forged X-Forwarded-Host does not make a foreign origin "same origin" for a cookie-carrying request.
    const forged = await withHost(new URL(api.url).host, '/graphql', { 'x-forwarded-host': 'evil.example', origin: 'http://evil.example', cookie: 'sundial_session=x' }, '{"query":"mutation { signOut }"}');
    expect(forged.status).toBe(403);
    // Nor lets a refused Host in.
    expect((await withHost('evil.example', '/', { 'x-forwarded-host': new URL(api.url).host })).status).toBe(421);
  });

  it('uses them from a trusted proxy: client address, host and scheme', async () => {
    const proxied = await startTestApi({ server: { port: 0, trust_proxy: ['127.0.0.0/8', '::1'], allowed_hosts: ['sundial.example.com'] } });
    try {
      const url = new URL(proxied.url);
      const answer = await new Promise<{ status: number; cookie: string | undefined }>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: '/graphql',
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              host: 'internal-name:4000',
              'x-forwarded-for': '198.51.100.7, 10.0.0.2',
              'x-forwarded-host': 'sundial.example.com',
              'x-forwarded-proto': 'https',
            },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] });
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', variables: { e: ADMIN.email, p: ADMIN.password } }));
      });
      expect(answer.status).toBe(200);
      // The client is the rightmost address no trusted proxy vouches for: 10.0.0.2 is not one of them.
      expect((await proxied.app.database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'signIn' }, orderBy: { id: 'desc' } })).ip).toBe('10.0.0.2');
      expect(answer.cookie).toMatch(/; Secure$/);
    } finally {
      await proxied.close();
    }
  });
});

describe('slow clients (server.headers_timeout_ms, request_timeout_ms, max_connections_per_address)', () => {
  /** A socket to the server, with a promise of the moment the server closes it. */
  function connect(url: URL) {
    const socket = net.connect(Number(url.port), url.hostname);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { socket, closed, connected };
  }

  it('closes connections that drip their headers or body, keeps live streams, and caps connections per address', async () => {
    const slow = await startTestApi({ server: { port: 0, headers_timeout_ms: 1000, request_timeout_ms: 2000, max_connections_per_address: 12 } });
    const url = new URL(slow.url);
    const drips: NodeJS.Timeout[] = [];
    try {
      // A live stream, opened first: it must outlive every timeout below.
      const stream = await subscribe<{ runFeed: { id: string; status: string } | null }>(slow.url, 'subscription { runFeed { id status } }', {}, slow.adminToken);

      // Five clients sending their headers one byte at a time, and one sending a body one byte at a time.
      const dripping = Array.from({ length: 5 }, () => connect(url));
      for (const client of dripping) {
        await client.connected;
        client.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        drips.push(setInterval(() => client.socket.write('X'), 100));
      }
      const body = connect(url);
      await body.connected;
      body.socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      drips.push(setInterval(() => body.socket.write(' '), 100));
      // Closed by the server (the test's own timeout is the bound: Node's defaults would keep them 60 and 300 s).
      await Promise.all([...dripping.map((client) => client.closed), body.closed]);

      // The stream is still open and still delivers.
      const job = await slow.app.engine.jobs.create({ name: 'after the slow clients', action: 'examples.noop', args: {} });
      const run = await slow.app.engine.runs.start(job.id, { trigger: 'MANUAL' });
      await stream.waitFor((event) => event.data?.runFeed?.id === run.id, 20_000, 'the run on the live stream');

      // At most 12 connections from one address: the stream holds one, so 11 more are served and the rest closed.
      const idle = [];
      for (let index = 0; index < 14; index += 1) {
        const client = connect(url);
        await client.connected;
        idle.push(client);
      }
      // Each asks for /healthz: a refused one is closed without an answer.
      const answered = await Promise.all(
        idle.map(
          (client) =>
            new Promise<boolean>((resolve) => {
              client.socket.once('data', () => resolve(true));
              void client.closed.then(() => resolve(false));
              client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
            }),
        ),
      );
      expect(answered.filter((ok) => !ok).length).toBeGreaterThanOrEqual(3);
      expect(answered.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(answered.filter(Boolean).length).toBeLessThanOrEqual(11);
      for (const client of idle) client.socket.destroy();
      stream.close();
    } finally {
      drips.forEach(clearInterval);
      await slow.close();
    }
  }, 60_000);
});
