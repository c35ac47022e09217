// Masked errors through the real server: an internal failure (here: a table gone from under the app) reaches the
// client as "Unexpected error." with an id, and no stack, SQL, table names or file paths — also under
// NODE_ENV=development. Errors raised on purpose keep their messages. graphql.expose_errors shows the real error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';

const LEAKS = /prisma|SELECT|INSERT|api_tokens|relation|does not exist|at \/|at file:|\.ts:\d|node_modules|\bstack\b/i;

async function startWithNodeEnv(nodeEnv: string, overrides: Record<string, unknown> = {}) {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return await startTestApi(overrides);
  } finally {
    process.env.NODE_ENV = previous;
  }
}

async function sessionCookie(api: TestApi): Promise<string> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `mutation { signIn(email: "${ADMIN.email}", password: "${ADMIN.password}") { email } }` }),
  });
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

async function post(api: TestApi, query: string, headers: Record<string, string>) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] } };
}

/** Makes every API-token query fail inside the database, as a broken migration or a lost table would. */
async function breakTokenTable(api: TestApi) {
  await api.app.database.prisma.$executeRawUnsafe('ALTER TABLE api_tokens RENAME TO api_tokens_gone');
}

describe('under NODE_ENV=development, without graphql.expose_errors', () => {
  let api: TestApi;
  let cookie: string;
  beforeAll(async () => {
    api = await startWithNodeEnv('development');
    cookie = await sessionCookie(api);
    await breakTokenTable(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('masks an error inside a resolver: no stack, SQL, table or path', async () => {
    const { status, text, body } = await post(api, '{ apiTokens { id name } }', { cookie });
    // An execution error is part of a GraphQL result: HTTP 200 for plain JSON clients.
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toBe('Unexpected error.');
    expect(body.errors![0]!.path).toEqual(['apiTokens']);
    expect(body.errors![0]!.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^[\da-f-]{36}$/) });
    expect(text).not.toMatch(LEAKS);
  });

  it('masks an error while identifying the caller (before any resolver)', async () => {
    const { status, text, body } = await post(api, '{ viewer { email } }', { authorization: `Bearer ${api.adminToken}` });
    expect(status).toBe(500);
    expect(body.errors![0]!.message).toBe('Unexpected error.');
    expect(text).not.toMatch(LEAKS);
  });

  it('keeps the message of errors raised on purpose', async () => {
    const wrong = await post(api, `mutation { signIn(email: "${ADMIN.email}", password: "nope-nope-nope") { email } }`, {});
    expect(wrong.body.errors![0]!.message).toBe('wrong e-mail or password');
    const invalid = await post(api, '{ noSuchField }', {});
    expect(invalid.body.errors![0]!.message).toMatch(/Cannot query field "noSuchField" on type "Query"/);
    const denied = await post(api, '{ apiTokens { id } }', {});
    expect(denied.body.errors![0]!.message).toMatch(/Not authorized/);
  });
});

describe('with graphql.expose_errors: true', () => {
  let api: TestApi;
  let cookie: string;
  beforeAll(async () => {
    api = await startTestApi({ graphql: { expose_errors: true } });
    cookie = await sessionCookie(api);
    await breakTokenTable(api);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows the real message and stack, for debugging', async () => {
    const { body } = await post(api, '{ apiTokens { id } }', { cookie });
    expect(body.errors![0]!.message).toBe('Unexpected error.');
    const original = body.errors![0]!.extensions!.originalError as { message: string; stack: string };
    expect(original.message).toMatch(/api_tokens/);
    expect(original.stack).toBeTruthy();
  });
});
