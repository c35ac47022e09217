// http.request against real HTTP servers this file starts on 127.0.0.1 (reachable only because the tests put
// 127.0.0.1 in the allow-list), the SSRF guard's refusals — which must come before any connection is even
// attempted — and header secrets, which must reach the server and nothing else. The last block runs the action
// through a real Sundial server, where the package is loaded by default.
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionArgsError } from '@sundial/actions';
import { runActionForTest, type TestLogLine } from '@sundial/actions/testing';
import { createHttpRequestAction, type HttpRequestOutput, type HttpRequestSettings } from '@sundial/builtin-actions';
import { startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

const SECRET = 'tok-Zq81-very-secret-value';
/** A secret whose URL-encoded and JSON spellings differ from its text. */
const ODD_SECRET = 'odd/Zq+81 very=secret&value"x';
const ENV = { SUNDIAL_SECRET_HTTP_TEST_TOKEN: SECRET, SUNDIAL_SECRET_HTTP_ODD_TOKEN: ODD_SECRET };

/** Every way a secret could be spelled in stored text: plain, percent-encoded, JSON-escaped, base64 at any alignment. */
function leaks(stored: string, secret: string): string[] {
  const found: string[] = [];
  const spellings = [secret, encodeURIComponent(secret), encodeURI(secret), new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
  for (const spelling of spellings) if (stored.includes(spelling)) found.push(spelling);
  // base64 of the secret after 0, 1 or 2 bytes of something else: its middle is the same whatever came before.
  for (const pad of ['', 'a', 'aa']) {
    const encoded = Buffer.from(pad + secret).toString('base64');
    const stable = encoded.slice(4, -4);
    if (stable.length >= 8 && stored.includes(stable)) found.push(`base64 ${stable}`);
  }
  for (const blob of stored.match(/[A-Za-z0-9+/]{16,}={0,2}/g) ?? []) {
    if (Buffer.from(blob, 'base64').toString('latin1').includes(secret)) found.push(`inside base64 ${blob.slice(0, 20)}…`);
  }
  return found;
}

/** Every outgoing TCP connection attempt in this process (Node's own channel) and every undici connect. */
const attempts: string[] = [];
diagnostics.subscribe('net.client.socket', (message) => {
  const socket = (message as { socket: Socket }).socket;
  attempts.push(`net:${socket.remoteAddress ?? 'pending'}`);
});
diagnostics.subscribe('undici:client:beforeConnect', (message) => {
  attempts.push(`undici:${(message as { connectParams: { hostname: string } }).connectParams.hostname}`);
});

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real server on 127.0.0.1 with a few routes; records what it received and how many connections it got. */
async function startServer() {
  const seen: Seen[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const url = new URL(request.url ?? '/', 'http://x');
      const json = (status: number, value: unknown, headers: Record<string, string | string[]> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        response.end(JSON.stringify(value));
      };
      switch (url.pathname) {
        case '/json':
          return json(200, { hello: 'world', items: [1, 2, 3] }, { 'set-cookie': 'session=abc', 'x-request-id': 'r-1' });
        case '/echo':
          return json(201, { method: request.method, contentType: request.headers['content-type'] ?? null, body });
        case '/text':
          response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          return response.end('plain text, ünïcode');
        case '/status':
          return json(Number(url.searchParams.get('code')), { error: 'something broke', detail: url.searchParams.get('detail') });
        case '/big':
          response.writeHead(200, { 'content-type': 'text/plain' });
          return response.end('x'.repeat(200_000));
        case '/hang':
          return; // never answers: the timeout must end the request
        case '/redirect':
          response.writeHead(Number(url.searchParams.get('code') ?? 302), { location: url.searchParams.get('to') ?? '/json' });
          return response.end();
        case '/deny':
          return json(401, { error: 'bad credentials', got: request.headers.authorization ?? request.headers['x-api-key'] ?? null });
        case '/octet': {
          // Binary content echoing the credential, after `pad` bytes: stored as base64, at any alignment.
          const pad = Number(url.searchParams.get('pad') ?? 0);
          response.writeHead(200, { 'content-type': 'application/octet-stream' });
          return response.end(Buffer.concat([Buffer.alloc(pad, 0xfe), Buffer.from(`auth=${request.headers.authorization ?? ''};`), Buffer.from([0, 1, 2])]));
        }
        case '/bounce': {
          // A redirect to a URL carrying the credential, as a query value and as a path segment.
          const auth = request.headers.authorization ?? '';
          response.writeHead(302, { location: `/json/${encodeURIComponent(auth)}?t=${encodeURIComponent(auth)}` });
          return response.end();
        }
        case '/whoami':
          return json(200, { authorization: request.headers.authorization ?? null }, { 'x-echo': request.headers.authorization ?? '' });
        default:
          if (url.pathname.startsWith('/json/')) return json(200, { hello: 'world' });
          return json(404, { error: 'no route' });
      }
    });
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Server = Awaited<ReturnType<typeof startServer>>;

const SETTINGS: HttpRequestSettings = {
  allowHosts: ['127.0.0.1'],
  allowPrivate: false,
  secretEnvPrefix: 'SUNDIAL_SECRET_',
  secretHosts: { HTTP_TEST_TOKEN: ['127.0.0.1'], HTTP_ODD_TOKEN: ['127.0.0.1'] },
  env: ENV,
  maxResponseBytes: 64 * 1024,
};

async function request(args: Record<string, unknown>, settings: Partial<HttpRequestSettings> = {}) {
  return runActionForTest(createHttpRequestAction({ ...SETTINGS, ...settings }), { args });
}

async function failure(args: Record<string, unknown>, settings: Partial<HttpRequestSettings> = {}): Promise<{ message: string; logs: TestLogLine[] }> {
  const logs: TestLogLine[] = [];
  try {
    await runActionForTest(createHttpRequestAction({ ...SETTINGS, ...settings }), { args, onLog: (line) => logs.push(line) });
  } catch (error) {
    return { message: (error as Error).message, logs };
  }
  throw new Error('expected the request to fail');
}

let server: Server;
let other: Server;
beforeAll(async () => {
  server = await startServer();
  other = await startServer();
});
afterAll(async () => {
  await server?.close();
  await other?.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

describe('http.request', () => {
  it('GETs JSON: status, parsed body, selected headers (no set-cookie)', async () => {
    const { output, logs } = await request({ url: `${server.base}/json` });
    expect(output).toMatchObject({
      status: 200,
      url: `${server.base}/json`,
      redirects: 0,
      body: { hello: 'world', items: [1, 2, 3] },
      bodyEncoding: 'json',
      truncated: false,
    });
    expect(output.headers['x-request-id']).toBe('r-1');
    expect(output.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(output.headers).not.toHaveProperty('set-cookie');
    expect(logs[0]).toEqual({ level: 'info', message: `GET ${server.base}/json`, data: { headers: [] } });
  });

  it('POSTs JSON and text bodies with their content types', async () => {
    const json = await request({ method: 'POST', url: `${server.base}/echo`, body: { name: 'Ada', tags: ['x'] } });
    expect(json.output.status).toBe(201);
    expect(json.output.body).toEqual({ method: 'POST', contentType: 'application/json', body: '{"name":"Ada","tags":["x"]}' });

    const text = await request({ method: 'PUT', url: `${server.base}/echo`, body: 'line one\nline two' });
    expect(text.output.body).toEqual({ method: 'PUT', contentType: 'text/plain; charset=utf-8', body: 'line one\nline two' });

    const asJson = await request({ method: 'PATCH', url: `${server.base}/echo`, body: 'quoted', bodyType: 'json', headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(asJson.output.body).toEqual({ method: 'PATCH', contentType: 'application/merge-patch+json', body: '"quoted"' });
  });

  it('returns text bodies as text, and HEAD without a body', async () => {
    const { output } = await request({ url: `${server.base}/text` });
    expect(output).toMatchObject({ status: 200, body: 'plain text, ünïcode', bodyEncoding: 'text', truncated: false });
    const head = await request({ method: 'HEAD', url: `${server.base}/text` });
    expect(head.output).toMatchObject({ status: 200, body: null, bodyEncoding: 'none' });
  });

  it('fails on a status it did not expect, naming the status; accepts the ones listed', async () => {
    const { message } = await failure({ url: `${server.base}/status?code=500&detail=db%20down` });
    expect(message).toBe(
      `GET ${server.base}/status?code=500&detail=db%20down answered 500; expected a 2xx status — body: {"error":"something broke","detail":"db down"}`,
    );
    expect((await failure({ url: `${server.base}/json`, expectStatus: [201, 204] })).message).toMatch(/answered 200; expected status 201 or 204/);
    const { output } = await request({ method: 'DELETE', url: `${server.base}/status?code=404`, expectStatus: 404 });
    expect(output.status).toBe(404);
  });

  it('gives up after timeoutMs', async () => {
    const { message } = await failure({ url: `${server.base}/hang`, timeoutMs: 300 });
    expect(message).toBe(`GET ${server.base}/hang did not answer within 300 ms (timeoutMs)`);
    // A name whose lookup never ends: the timeout covers resolving too.
    const stuck = await failure({ url: 'http://slow-dns.example.test/', timeoutMs: 200 }, { resolve: () => new Promise(() => {}) });
    expect(stuck.message).toBe('GET http://slow-dns.example.test/ did not answer within 200 ms (timeoutMs)');
  });

  it('stops at the cancel signal', async () => {
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    const pending = runActionForTest(createHttpRequestAction(SETTINGS), {
      args: { url: `${server.base}/hang` },
      signal: controller.signal,
      onLog: () => setTimeout(() => controller.abort(reason), 50),
    });
    await expect(pending).rejects.toBe(reason);
  });

  it('caps the body and says it is truncated', async () => {
    const { output } = await request({ url: `${server.base}/big` }, { maxResponseBytes: 1024 });
    expect(output).toMatchObject({ status: 200, truncated: true, bodyEncoding: 'text' });
    expect(output.body).toBe('x'.repeat(1024));
  });

  it('follows redirects (POST becomes GET on 302) up to followRedirects', async () => {
    const { output } = await request({ method: 'POST', url: `${server.base}/redirect?to=/echo`, body: { a: 1 } });
    expect(output).toMatchObject({ status: 201, url: `${server.base}/echo`, redirects: 1 });
    expect(output.body).toMatchObject({ method: 'GET', body: '' });

    const kept = await request({ method: 'POST', url: `${server.base}/redirect?code=307&to=/echo`, body: { a: 1 } });
    expect(kept.output.body).toMatchObject({ method: 'POST', body: '{"a":1}' });

    const unfollowed = await request({ url: `${server.base}/redirect?to=/json`, followRedirects: 0, expectStatus: 302 });
    expect(unfollowed.output).toMatchObject({ status: 302, headers: { location: '/json' } });

    const loop = `${server.base}/redirect?to=${encodeURIComponent('/redirect?to=/redirect')}`;
    expect((await failure({ url: loop, followRedirects: 1 })).message).toBe(`GET ${loop}: more than 1 redirects (followRedirects)`);
  });

  it('validates args: URL scheme, body on GET, credentials in clear', async () => {
    const problems = async (args: Record<string, unknown>) => {
      try {
        await request(args);
      } catch (error) {
        if (error instanceof ActionArgsError) return error.errors;
        throw error;
      }
      throw new Error('expected invalid args');
    };
    expect(await problems({ url: 'ftp://example.com/x' })).toEqual([{ field: 'url', message: 'must be an http:// or https:// URL' }]);
    expect(await problems({ url: `${server.base}/json`, body: { a: 1 } })).toEqual([{ field: 'body', message: 'a GET request has no body' }]);
    expect(await problems({ url: 'https://user:pw@example.com/' })).toMatchObject([{ field: 'url' }]);
    const [clear] = await problems({ url: 'https://example.com/', headers: { Authorization: 'Bearer abc123' } });
    expect(clear?.field).toBe('headers.Authorization');
    expect(clear?.message).toMatch(/^holds a credential in clear; store it in an environment variable and write \{\{secret:NAME\}\}/);
  });
});

describe('http.request SSRF guard', () => {
  const refusedBeforeConnecting = async (url: string, settings: Partial<HttpRequestSettings> = { allowHosts: [] }) => {
    const before = server.connections();
    attempts.length = 0;
    const { message } = await failure({ url }, settings);
    expect(attempts, `connection attempts while refusing ${url}`).toEqual([]);
    expect(server.connections()).toBe(before);
    return message;
  };

  it('refuses loopback, private, link-local and metadata addresses before any connection', async () => {
    const port = server.port;
    expect(await refusedBeforeConnecting(`http://127.0.0.1:${port}/json`)).toBe(
      `refused GET http://127.0.0.1:${port}/json: 127.0.0.1 is a loopback address; add it to builtin.http.allow_hosts to allow it`,
    );
    expect(await refusedBeforeConnecting(`http://[::1]:${port}/json`)).toBe(
      `refused GET http://[::1]:${port}/json: ::1 is a loopback address; add it to builtin.http.allow_hosts to allow it`,
    );
    expect(await refusedBeforeConnecting('http://10.0.0.1/')).toBe(
      'refused GET http://10.0.0.1/: 10.0.0.1 is a private address; add it to builtin.http.allow_hosts to allow it',
    );
    expect(await refusedBeforeConnecting('http://169.254.169.254/latest/meta-data/')).toBe(
      'refused GET http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a cloud metadata address; add it to builtin.http.allow_hosts to allow it',
    );
    expect(await refusedBeforeConnecting('http://[fd00:ec2::254]/')).toMatch(/fd00:ec2::254 is a cloud metadata address/);
    expect(await refusedBeforeConnecting('http://metadata.google.internal/computeMetadata/v1/')).toMatch(
      /metadata\.google\.internal is a cloud metadata host; add it to builtin\.http\.allow_hosts/,
    );
    // Other spellings of loopback: the URL parser's decimal form and IPv4-mapped IPv6.
    expect(await refusedBeforeConnecting(`http://2130706433:${port}/json`)).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(await refusedBeforeConnecting(`http://[::ffff:127.0.0.1]:${port}/json`)).toMatch(/is a loopback address/);
    expect(await refusedBeforeConnecting('http://100.64.0.1/')).toMatch(/100\.64\.0\.1 is a carrier-grade NAT address/);
    expect(await refusedBeforeConnecting('http://0.0.0.0/')).toMatch(/0\.0\.0\.0 is an unspecified/);
  });

  it('refuses a host name that resolves to loopback after resolving it, before connecting', async () => {
    const message = await refusedBeforeConnecting(`http://localhost:${server.port}/json`);
    expect(message).toMatch(
      new RegExp(`^refused GET http://localhost:${server.port}/json: localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address; add localhost or`),
    );
  });

  it('checks every address a name resolves to, and connects only to a checked one', async () => {
    // A resolver that answers one public and one private address: the private one refuses the whole name.
    const resolve = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const message = await refusedBeforeConnecting('http://mixed.example.test/', { allowHosts: [], resolve });
    expect(message).toMatch(/mixed\.example\.test resolves to 10\.0\.0\.7, a private address/);

    // A name the allow-list does not know but that resolves to an allowed address is reached at that address.
    const pinned = await request({ url: `http://api.example.test:${server.port}/json` }, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(pinned.output.status).toBe(200);
    expect(server.seen.at(-1)?.headers.host).toBe(`api.example.test:${server.port}`);
  });

  it('allows what the allow-list names: an address, a range, a host name', async () => {
    expect((await request({ url: `${server.base}/json` }, { allowHosts: ['127.0.0.0/8'] })).output.status).toBe(200);
    expect((await request({ url: `http://localhost:${server.port}/json` }, { allowHosts: ['localhost'] })).output.status).toBe(200);
  });

  it('refuses a redirect to a private or metadata address, before connecting to it', async () => {
    // Names resolve through this resolver; the first hop is an IP literal, which needs none.
    const resolve = async (host: string) => [{ address: host === 'intranet.example.test' ? '192.168.10.20' : '127.0.0.1', family: 4 }];
    for (const [to, reason] of [
      ['http://10.0.0.1/admin', '10.0.0.1 is a private address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
      [`http://[::1]:${server.port}/json`, '::1 is a loopback address'],
      ['http://intranet.example.test/wiki', 'intranet.example.test resolves to 192.168.10.20, a private address'],
    ] as const) {
      const url = `${server.base}/redirect?to=${encodeURIComponent(to)}`;
      attempts.length = 0;
      const { message, logs } = await failure({ url }, { resolve });
      expect(message).toContain(reason);
      expect(message).toMatch(/^refused GET /);
      // One connection: to the allowed server that answered with the redirect, none to where it pointed.
      expect(attempts.filter((attempt) => attempt.startsWith('undici:'))).toEqual(['undici:127.0.0.1']);
      expect(logs.map((line) => line.message)).toContain(`302 redirect to ${new URL(to).origin}${new URL(to).pathname}`);
    }
  });
});

describe('http.request header secrets', () => {
  it('sends the secret from the environment and keeps it out of output, logs and errors', async () => {
    const logs: TestLogLine[] = [];
    const { output } = await runActionForTest(createHttpRequestAction(SETTINGS), {
      args: { url: `${server.base}/whoami`, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } },
      onLog: (line) => logs.push(line),
    });
    expect(server.seen.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(output.body).toEqual({ authorization: 'Bearer [redacted]' });
    expect(output.headers['x-echo']).toBe('Bearer [redacted]');
    expect(JSON.stringify(output)).not.toContain(SECRET);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect(logs[0]).toEqual({ level: 'info', message: `GET ${server.base}/whoami`, data: { headers: ['Authorization'] } });

    const { message, logs: failedLogs } = await failure({ url: `${server.base}/deny`, headers: { 'X-Api-Key': '{{secret:HTTP_TEST_TOKEN}}' } });
    expect(message).toBe(`GET ${server.base}/deny answered 401; expected a 2xx status — body: {"error":"bad credentials","got":"[redacted]"}`);
    expect(message).not.toContain(SECRET);
    expect(JSON.stringify(failedLogs)).not.toContain(SECRET);
  });

  it('keeps the secret out of a base64 body, whatever its alignment, and out of a redirect URL carrying it', async () => {
    for (const secret of ['HTTP_TEST_TOKEN', 'HTTP_ODD_TOKEN']) {
      const value = ENV[`SUNDIAL_SECRET_${secret}` as keyof typeof ENV];
      for (const pad of [0, 1, 2]) {
        const logs: TestLogLine[] = [];
        const { output } = await runActionForTest(createHttpRequestAction(SETTINGS), {
          args: { url: `${server.base}/octet?pad=${pad}`, headers: { Authorization: `Bearer {{secret:${secret}}}` } },
          onLog: (line) => logs.push(line),
        });
        expect(output.bodyEncoding).toBe('base64');
        const bytes = Buffer.from(output.body as string, 'base64');
        expect(bytes.toString('latin1')).toContain('auth=Bearer [redacted];');
        expect(leaks(JSON.stringify([output, logs]), value)).toEqual([]);
      }
      // Cut at the size cap in the middle of the secret: its start is not kept either.
      const cut = await request({ url: `${server.base}/octet?pad=1010`, headers: { Authorization: `Bearer {{secret:${secret}}}` } }, { maxResponseBytes: 1010 + 'auth=Bearer '.length + 10 });
      expect(cut.output.truncated).toBe(true);
      expect(Buffer.from(cut.output.body as string, 'base64').toString('latin1')).toMatch(/auth=Bearer \[redacted\]$/);

      const logs: TestLogLine[] = [];
      const { output } = await runActionForTest(createHttpRequestAction(SETTINGS), {
        args: { url: `${server.base}/bounce`, headers: { Authorization: `Bearer {{secret:${secret}}}` } },
        onLog: (line) => logs.push(line),
      });
      expect(output).toMatchObject({ status: 200, redirects: 1 });
      expect(output.url).toContain('[redacted]');
      expect(leaks(JSON.stringify([output, logs]), value)).toEqual([]);
    }
  });

  it('sends a secret only to the hosts builtin.http.secret_hosts binds it to: refused at save and at run time', async () => {
    const problems = async (args: Record<string, unknown>, settings: Partial<HttpRequestSettings>) => {
      try {
        await request(args, settings);
      } catch (error) {
        if (error instanceof ActionArgsError) return error.errors;
        throw error;
      }
      throw new Error('expected invalid args');
    };
    const headers = { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' };
    expect(await problems({ url: `${server.base}/whoami`, headers }, { secretHosts: {} })).toEqual([
      {
        field: 'headers.Authorization',
        message: 'secret HTTP_TEST_TOKEN may not be sent to 127.0.0.1: builtin.http.secret_hosts names no host for it (add HTTP_TEST_TOKEN: [127.0.0.1] to allow it)',
      },
    ]);
    expect(await problems({ url: 'https://evil.example.test/', headers }, { secretHosts: { http_test_token: ['127.0.0.1', '*.example.com'] } })).toEqual([
      {
        field: 'headers.Authorization',
        message: 'secret HTTP_TEST_TOKEN may not be sent to evil.example.test: builtin.http.secret_hosts.HTTP_TEST_TOKEN allows only 127.0.0.1, *.example.com',
      },
    ]);
    expect(server.seen).toEqual([]);
    // A wildcard entry covers subdomains (resolved here to the test server), not the bare domain.
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const sub = await request({ url: `http://api.example.test:${server.port}/whoami`, headers }, { secretHosts: { HTTP_TEST_TOKEN: ['*.example.test'] }, resolve });
    expect(sub.output.status).toBe(200);
    expect(server.seen.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect((await problems({ url: `http://example.test:${server.port}/whoami`, headers }, { secretHosts: { HTTP_TEST_TOKEN: ['*.example.test'] }, resolve }))[0]?.message).toMatch(
      /may not be sent to example\.test/,
    );
  });

  it('names the missing variable', async () => {
    const { message } = await failure(
      { url: `${server.base}/whoami`, headers: { Authorization: 'Bearer {{secret:NOT_SET_ANYWHERE}}' } },
      { secretHosts: { NOT_SET_ANYWHERE: ['127.0.0.1'] } },
    );
    expect(message).toBe('header Authorization refers to secret NOT_SET_ANYWHERE, but the environment variable SUNDIAL_SECRET_NOT_SET_ANYWHERE is not set');
    expect(server.seen).toEqual([]);
  });

  it('drops secret headers on a redirect to another origin', async () => {
    const to = `${other.base}/whoami`;
    const { output } = await request({ url: `${server.base}/redirect?to=${encodeURIComponent(to)}`, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } });
    expect(output).toMatchObject({ status: 200, url: to, body: { authorization: null } });
    expect(other.seen.at(-1)?.headers.authorization).toBeUndefined();
  });
});

/** Rows as text (log line ids are BigInt). */
const serialized = (value: unknown) => JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? String(inner) : inner));

describe('http.request in a Sundial server', () => {
  let api: TestApi;
  beforeAll(async () => {
    process.env.SUNDIAL_SECRET_HTTP_TEST_TOKEN = SECRET;
    process.env.SUNDIAL_SECRET_HTTP_ODD_TOKEN = ODD_SECRET;
    api = await startTestApi({
      builtin: {
        http: { allow_hosts: ['127.0.0.1'], secret_hosts: { HTTP_TEST_TOKEN: ['127.0.0.1'], HTTP_ODD_TOKEN: ['127.0.0.1'], STATUS_TOKEN: ['status.example.com'] } },
        cleanup: { schedule_daily: false },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
    delete process.env.SUNDIAL_SECRET_HTTP_TEST_TOKEN;
    delete process.env.SUNDIAL_SECRET_HTTP_ODD_TOKEN;
  });

  const runJob = async (args: Record<string, unknown>) => {
    const { engine, database } = api.app;
    const job = await engine.jobs.create({ name: `http ${Math.random()}`, action: 'http.request', args });
    const run = await engine.runs.start(job.id, { trigger: 'MANUAL' });
    const done = await waitFor(async () => {
      const found = await database.prisma.run.findUniqueOrThrow({ where: { id: run.id } });
      return ['SUCCEEDED', 'FAILED'].includes(found.status) ? found : null;
    });
    const lines = await database.prisma.runLogLine.findMany({ where: { runId: run.id }, orderBy: { sequence: 'asc' } });
    const stored = await database.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    return { run: done, lines, job: stored };
  };

  it('is loaded by default, with sundial.cleanup', () => {
    expect(api.app.actions.get('http.request')?.source).toMatchObject({ package: '@sundial/builtin-actions', exportName: 'createActions' });
    expect(api.app.actions.has('sundial.cleanup')).toBe(true);
  });

  it('stores the answer as the run output; the secret is in no job, run, output, log line or error', async () => {
    const ok = await runJob({ url: `${server.base}/whoami`, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } });
    expect(ok.run.status).toBe('SUCCEEDED');
    expect((ok.run.output as unknown as HttpRequestOutput).body).toEqual({ authorization: 'Bearer [redacted]' });
    expect(server.seen.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(ok.job.args).toMatchObject({ headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } });
    expect(serialized([ok.run, ok.lines, ok.job])).not.toContain(SECRET);

    const failed = await runJob({ url: `${server.base}/deny`, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } });
    expect(failed.run.status).toBe('FAILED');
    expect(failed.run.errorMessage).toBe(`GET ${server.base}/deny answered 401; expected a 2xx status — body: {"error":"bad credentials","got":"Bearer [redacted]"}`);
    expect(serialized([failed.run, failed.lines])).not.toContain(SECRET);
  });

  it('stores no spelling of the secret from a binary echo or a redirect URL carrying it', async () => {
    for (const url of [`${server.base}/octet?pad=1`, `${server.base}/octet?pad=2`, `${server.base}/bounce`]) {
      const done = await runJob({ url, headers: { Authorization: 'Bearer {{secret:HTTP_ODD_TOKEN}}' } });
      expect(done.run.status).toBe('SUCCEEDED');
      expect(leaks(serialized([done.run, done.lines]), ODD_SECRET)).toEqual([]);
    }
  });

  it('refuses, at save and at run time, a secret sent to a host it is not bound to', async () => {
    type Result = { createJob: { job?: { id: string }; fieldErrors?: { field: string; message: string }[] } };
    const url = `http://localhost:${server.port}/whoami`;
    const saved = await api.gql<Result>(
      `mutation($args: JSON!) { createJob(input: { name: "send elsewhere", action: "http.request", args: $args }) {
        ... on MutationCreateJobSuccess { job { id } } ... on ValidationError { fieldErrors { field message } } } }`,
      { args: { url, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } } },
    );
    expect(saved.data?.createJob.fieldErrors).toEqual([
      { field: 'args.headers.Authorization', message: 'secret HTTP_TEST_TOKEN may not be sent to localhost: builtin.http.secret_hosts.HTTP_TEST_TOKEN allows only 127.0.0.1' },
    ]);
    // A job stored before the binding changed: starting a run checks its args again and refuses it.
    const job = await api.app.database.prisma.job.create({
      data: { name: 'stored earlier', action: 'http.request', args: { url, headers: { Authorization: 'Bearer {{secret:HTTP_TEST_TOKEN}}' } } },
    });
    const before = server.seen.length;
    await expect(api.app.engine.runs.start(job.id, { trigger: 'MANUAL' })).rejects.toMatchObject({
      errors: [{ field: 'args.headers.Authorization', message: expect.stringContaining('secret HTTP_TEST_TOKEN may not be sent to localhost') }],
    });
    expect(server.seen.length).toBe(before);
  });

  it('refuses what the config does not allow, in a run', async () => {
    const refused = await runJob({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(refused.run.status).toBe('FAILED');
    expect(refused.run.errorMessage).toContain('169.254.169.254 is a cloud metadata address; add it to builtin.http.allow_hosts to allow it');
  });

  it('accepts the job of docs/built-in-actions.md over GraphQL, and refuses it with the credential in clear', async () => {
    const docs = fs.readFileSync(fileURLToPath(new URL('../../../../docs/built-in-actions.md', import.meta.url)), 'utf8');
    const mutation = /```graphql\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(mutation).toBeDefined();
    type Result = { createJob: { job?: { id: string; name: string }; message?: string; fieldErrors?: { field: string; message: string }[] } };
    const created = await api.gql<Result>(mutation!);
    expect(created.errors).toBeUndefined();
    expect(created.data?.createJob.job?.name).toBe('Ping the status page');
    const job = await api.app.database.prisma.job.findUniqueOrThrow({ where: { id: created.data!.createJob.job!.id }, include: { schedules: true } });
    expect(job).toMatchObject({ action: 'http.request', schedules: [{ scheduleKind: 'INTERVAL', intervalSeconds: 300 }] });
    expect(job.args).toMatchObject({ headers: { Authorization: 'Bearer {{secret:STATUS_TOKEN}}' }, expectStatus: [200, 202] });

    const refused = await api.gql<Result>(mutation!.replace('{{secret:STATUS_TOKEN}}', 'abc123'));
    expect(refused.data?.createJob.fieldErrors).toEqual([
      { field: 'args.headers.Authorization', message: expect.stringMatching(/^holds a credential in clear/) },
    ]);
  });

  it('rejects a job that holds a credential in clear, naming the field', async () => {
    await expect(
      api.app.engine.jobs.create({ name: 'clear', action: 'http.request', args: { url: 'https://example.com/', headers: { Authorization: 'Bearer abc' } } }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ field: 'args.headers.Authorization' })] });
  });
});
