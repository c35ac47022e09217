// The query-cost limit over HTTP with the default graphql.max_cost (5,000): ordinary pages pass, abusive shapes
// (deep nesting, huge pages, a huge page size passed as a variable) get 400 with their cost beside the limit, and
// the refusal leaves an audit row. How costs are counted: src/graphql/plugins/cost.ts and docs/graphql.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_ACTION } from '../../src/graphql/plugins/refusal-audit.js';
import { startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; cost?: number; maxCost?: number } }[] };

async function post(query: string, variables?: object): Promise<{ status: number; body: Body }> {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${api.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

async function expectRefused(query: string, variables?: object): Promise<number> {
  const { status, body } = await post(query, variables);
  expect(status).toBe(400);
  expect(body.data ?? null).toBeNull();
  const error = body.errors?.[0];
  expect(error?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
  expect(error?.message).toMatch(/^Query cost limit of 5000 exceeded, found \d+ \(graphql\.max_cost\)\.$/);
  expect(error?.extensions?.maxCost).toBe(5000);
  expect(error?.extensions?.cost).toBeGreaterThan(5000);
  expect(error?.message).toContain(`found ${error?.extensions?.cost}`);
  return error!.extensions!.cost!;
}

describe('query cost limit', () => {
  it('answers a page of 1,000 log lines and jobs with their latest runs', async () => {
    const log = await post('query ($id: ID!) { run(id: $id) { log(first: 1000) { pageInfo { hasNextPage } edges { node { sequence time level message data } } } } }', {
      id: '00000000-0000-0000-0000-000000000000',
    });
    expect(log.body.errors).toBeUndefined();
    expect(log.status).toBe(200);
    const jobs = await post('{ jobs(first: 100) { totalCount edges { node { id name lastRun { status } runs(first: 10) { edges { node { id status finishedAt } } } } } } }');
    expect(jobs.body.errors).toBeUndefined();
    expect(jobs.status).toBe(200);
  });

  it('refuses deep nesting with its cost', async () => {
    // Within the depth limit (15): 20 jobs × 20 runs × 20 children × 20 children.
    const cost = await expectRefused('{ jobs { edges { node { runs { edges { node { children { edges { node { children { edges { node { id } } } } } } } } } } } } }');
    expect(cost).toBe(1 + 20 * (1 + 1 + 20 * (1 + 1 + 20 * (1 + 1 + 20 * 1))));
  });

  it('refuses a huge page, written in the document or passed as a variable', async () => {
    expect(await expectRefused('{ auditEvents(first: 100000) { edges { node { id action } } } }')).toBe(100_001);
    expect(await expectRefused('query ($n: Int) { auditEvents(first: $n) { edges { node { id action } } } }', { n: 100_000 })).toBe(100_001);
    // The same document with a small page passes.
    const small = await post('query ($n: Int) { auditEvents(first: $n) { edges { node { id action } } } }', { n: 50 });
    expect(small.body.errors).toBeUndefined();
  });

  it('refuses a costly mutation before it runs and records the refusal', async () => {
    const before = await api.app.database.prisma.auditEvent.count({ where: { action: REFUSED_ACTION } });
    await expectRefused(
      'mutation { enableJob(id: "nope") { ... on MutationEnableJobSuccess { job { runs(first: 200) { edges { node { log(first: 1000) { edges { node { message } } } } } } } } } }',
    );
    const rows = await api.app.database.prisma.auditEvent.findMany({ where: { action: REFUSED_ACTION }, orderBy: { at: 'desc' } });
    expect(rows.length).toBe(before + 1);
    expect(rows[0]?.details).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', reason: expect.stringMatching(/^Query cost limit of 5000 exceeded, found \d+ \(graphql\.max_cost\)\.$/) });
  });
});
