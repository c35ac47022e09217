// Limits on what one request may ask for, through the real server: document depth, aliases, tokens and
// directives (GraphQL Armor; cost: query-cost.test.ts); variables size, depth and prototype keys; one password check per request. Each refusal
// has a clear message and executes nothing (checked with mutations that would create API tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    graphql: { max_depth: 2, max_aliases: 3, max_tokens: 400, max_directives: 2, max_variables_bytes: 4096, max_variables_depth: 5 },
    auth: { admin_email: ADMIN.email, admin_password: ADMIN.password, sign_in_attempts_per_account: 5 },
  });
});
afterAll(async () => {
  await api?.close();
});

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

async function post(body: string | object, token: string | null = api.adminToken): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    // The GraphQL-over-HTTP media type: refused documents get 400 (with plain JSON, Yoga answers 200 + errors).
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

const tokenCount = () => api.app.database.prisma.apiToken.count();

/** Sends a request that must be refused with `message`, and checks no API token was created by it. */
async function expectRefused(body: string | object, message: RegExp) {
  const before = await tokenCount();
  const { status, body: result } = await post(body);
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.map((error) => error.message).join('\n')).toMatch(message);
  expect(await tokenCount()).toBe(before);
}

const create = (alias: string) => `${alias}: createApiToken(name: "${alias}") { secret }`;

describe('document limits (GraphQL Armor)', () => {
  it('accepts what is within every limit', async () => {
    const { status, body } = await post({ query: `mutation { ${create('a')} ${create('b')} }` });
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('refuses depth over graphql.max_depth', async () => {
    await expectRefused({ query: 'mutation { createApiToken(name: "deep") { token { id } } }' }, /depth limit of 2 exceeded, found 3/i);
    // Through fragments too.
    await expectRefused({ query: 'mutation { ...M } fragment M on Mutation { createApiToken(name: "f") { ...C } } fragment C on CreatedApiToken { token { id } }' }, /depth limit of 2 exceeded, found 3/i);
  });

  it('refuses more aliases than graphql.max_aliases', async () => {
    await expectRefused({ query: `mutation { ${['a', 'b', 'c', 'd'].map(create).join(' ')} }` }, /Aliases limit of 3 exceeded, found 4/);
  });

  it('refuses documents with more tokens than graphql.max_tokens', async () => {
    const fields = Array.from({ length: 400 }, () => '__typename').join(' ');
    await expectRefused({ query: `mutation { createApiToken(name: "t") { secret ${fields} } }` }, /^Token limit of 400 exceeded \(graphql\.max_tokens\)\.$/);
    // Named and coded like the other limits, not as a syntax error.
    const { body } = await post({ query: `mutation { createApiToken(name: "t") { secret ${fields} } }` });
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
  });

  it('refuses more directives than graphql.max_directives', async () => {
    await expectRefused(
      { query: `mutation { createApiToken(name: "d") @include(if: true) @skip(if: false) { secret @include(if: true) } }` },
      /Directives limit of 2 exceeded, found 3/,
    );
  });

  it('answers a huge document with a clear error, not a crash', async () => {
    const { status, body } = await post({ query: `{ ${'a { '.repeat(5000)}${'} '.repeat(5000)}}` });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/^Token limit of 400 exceeded \(graphql\.max_tokens\)\.$/);
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
  });
});

describe('variables limits', () => {
  // `extra` is not declared: variables the operation does not use are still parsed, and checked.
  const mutation = 'mutation($name: String!) { createApiToken(name: $name) { secret } }';

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s anywhere in the variables', async (key) => {
    // Written as raw JSON: JSON.stringify would drop a __proto__ key.
    const nested = `{"query": ${JSON.stringify(mutation)}, "variables": {"name": "x", "extra": {"list": [1, {"${key}": {"isAdmin": true}}]}}}`;
    await expectRefused(nested, new RegExp(`variables may not contain the key "${key}" \\(at variables\\.extra\\.list\\[1\\]\\)`));
    const top = `{"query": ${JSON.stringify(mutation)}, "variables": {"${key}": {"polluted": true}, "name": "x"}}`;
    await expectRefused(top, new RegExp(`may not contain the key "${key}"`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses the same keys in extensions', async () => {
    await expectRefused(`{"query": ${JSON.stringify(mutation)}, "variables": {"name": "x"}, "extensions": {"__proto__": {"a": 1}}}`, /extensions may not contain the key "__proto__"/);
  });

  it('refuses variables nested deeper than graphql.max_variables_depth', async () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 6; level++) deep = { level: deep };
    await expectRefused({ query: mutation, variables: { name: 'x', extra: deep } }, /variables are nested deeper than the limit of 5 levels \(graphql.max_variables_depth\)/);
    // Deep enough to overflow a recursive walker: still a clear 400.
    const veryDeep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    await expectRefused(`{"query": ${JSON.stringify(mutation)}, "variables": {"name": "x", "extra": ${veryDeep}}}`, /nested deeper than the limit/);
  });

  it('refuses variables larger than graphql.max_variables_bytes', async () => {
    await expectRefused({ query: mutation, variables: { name: 'x', extra: 'y'.repeat(5000) } }, /variables are \d+ bytes, more than the limit of 4096 bytes \(graphql.max_variables_bytes\)/);
  });

  it('refuses NUL characters (PostgreSQL cannot store them) in variables and in the document', async () => {
    await expectRefused({ query: mutation, variables: { name: 'a\u0000b' } }, /variables may not contain NUL characters \(at variables.name\)/);
    await expectRefused({ query: 'mutation { createApiToken(name: "a\\u0000b") { secret } }' }, /The document may not contain NUL characters/);
  });

  it('accepts ordinary variables', async () => {
    const { body } = await post({ query: mutation, variables: { name: 'ok', extra: { a: [1, 2, { b: 'c' }] } } });
    expect(body.errors).toBeUndefined();
  });
});

describe('one password check per request', () => {
  const attempt = (alias: string, password: string) => `${alias}: signIn(email: "${ADMIN.email}", password: "${password}") { email }`;

  it('refuses aliased signIn attempts before any is checked', async () => {
    const guesses = Array.from({ length: 3 }, (_, index) => attempt(`g${index}`, `wrong-${index}`)).join(' ');
    const { status, body } = await post({ query: `mutation { ${guesses} }` }, null);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toBe('Only one of signIn, changePassword, signInWithCode, confirmTwoFactorEnrolment, disableTwoFactor may be sent per request; this operation has 3.');
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_CREDENTIAL_CHECKS');
  });

  it('counts signIn fields hidden in fragments', async () => {
    const query = `mutation { ...A ... on Mutation { ${attempt('b', 'wrong-b')} } } fragment A on Mutation { ${attempt('a', 'wrong-a')} }`;
    const { body } = await post({ query }, null);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_CREDENTIAL_CHECKS');
  });

  it('refused batches did not use up attempts: one signIn per request still works', async () => {
    const { body } = await post({ query: `mutation { ${attempt('only', ADMIN.password)} }` }, null);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ only: { email: ADMIN.email } });
  });

  it('refuses batched requests (an array of operations)', async () => {
    const { status, body } = await post([{ query: `mutation { ${attempt('a', 'x')} }` }, { query: `mutation { ${attempt('b', 'y')} }` }], null);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(body.errors?.length).toBeGreaterThan(0);
  });
});
