// The audit log through the real server: every mutation leaves an event with who, from where, what, the target and
// the outcome; secrets never reach it; and the app's own database user cannot rewrite or delete past events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { waitFor } from '../support/engine.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const prisma = () => api.app.database.prisma;
/** JSON of rows with BigInt ids. */
const text = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item));

async function lastEvent(action: string) {
  return prisma().auditEvent.findFirstOrThrow({ where: { action }, orderBy: { id: 'desc' } });
}

describe('audit events for mutations', () => {
  it('records a successful mutation: actor (token name), address, target and outcome', async () => {
    const result = await api.gql<{ createApiToken: { token: { id: string }; secret: string } }>(
      'mutation Create($name: String!) { createApiToken(name: $name) { token { id } secret } }',
      { name: 'ci pipeline' },
    );
    const created = result.data!.createApiToken;
    const event = await lastEvent('createApiToken');
    expect(event).toMatchObject({
      actorLabel: `${ADMIN.email} (token "test admin")`,
      action: 'createApiToken',
      targetType: 'api_token',
      targetId: created.token.id,
      outcome: 'SUCCESS',
    });
    expect(event.actorId).toBeTruthy();
    expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(event.details).toMatchObject({ args: { name: 'ci pipeline' }, operationName: 'Create' });
    // The secret is in the response only.
    expect(text(event)).not.toContain(created.secret);
  });

  it('records a refused call as DENIED, with the anonymous actor', async () => {
    await api.gql('mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000000") { id } }', {}, { token: null });
    expect(await lastEvent('revokeApiToken')).toMatchObject({ actorLabel: 'anonymous', actorId: null, outcome: 'DENIED', targetType: 'api_token' });
  });

  it('records a call lacking the permission as DENIED, with who it was', async () => {
    const viewerToken = await api.tokenWith(['JOBS_READ']);
    await api.gql('mutation { createApiToken(name: "escalate") { secret } }', {}, { token: viewerToken });
    const event = await lastEvent('createApiToken');
    expect(event.outcome).toBe('DENIED');
    expect(event.actorLabel).toMatch(/^user-\w+@example\.com \(token "test \w+"\)$/);
  });

  it('records a failed mutation with its domain error, and the target id from the arguments', async () => {
    const id = '00000000-0000-0000-0000-000000000001';
    const result = await api.gql(`mutation { revokeApiToken(id: "${id}") { id } }`);
    expect(result.errors?.[0]?.message).toBeTruthy();
    const event = await lastEvent('revokeApiToken');
    expect(event).toMatchObject({ outcome: 'FAILURE', targetType: 'api_token', targetId: id });
    expect((event.details as { error: string }).error).toBe(result.errors![0]!.message);
  });

  it('never stores passwords: failed and successful sign-ins, password changes', async () => {
    const wrong = 'not-the-password-1234';
    await api.gql('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', { e: ADMIN.email, p: wrong }, { token: null });
    const failed = await lastEvent('signIn');
    // A wrong password is a refusal of the caller, like a missing permission.
    expect(failed).toMatchObject({ outcome: 'DENIED', actorLabel: 'anonymous', targetType: 'session' });
    expect(failed.details).toMatchObject({ args: { email: ADMIN.email, password: '[redacted]' }, error: 'wrong e-mail or password' });

    await api.gql('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', { e: ADMIN.email, p: ADMIN.password }, { token: null });
    expect((await lastEvent('signIn')).outcome).toBe('SUCCESS');

    const newPassword = 'a brand new passphrase 42';
    await api.gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', { c: ADMIN.password, n: newPassword });
    const changed = await lastEvent('changePassword');
    expect(changed.details).toMatchObject({ args: { currentPassword: '[redacted]', newPassword: '[redacted]' } });

    const everything = text(await prisma().auditEvent.findMany());
    for (const secret of [wrong, ADMIN.password, newPassword]) expect(everything).not.toContain(secret);
  });

  it('records nothing for queries', async () => {
    const before = await prisma().auditEvent.count();
    await api.gql('{ viewer { email } apiTokens { id } }');
    expect(await prisma().auditEvent.count()).toBe(before);
  });
});

describe('the audit table is append-only for the app', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of past rows through the app\'s own connection', async () => {
    const event = await prisma().auditEvent.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await expect(prisma().auditEvent.update({ where: { id: event.id }, data: { outcome: 'SUCCESS', actorLabel: 'someone else' } })).rejects.toThrow(/append-only/);
    await expect(prisma().auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(prisma().auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma().$executeRawUnsafe(`UPDATE audit_events SET details = NULL WHERE id = ${event.id}`)).rejects.toThrow(/append-only/);
    await expect(prisma().$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(prisma().$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect(await prisma().auditEvent.findUniqueOrThrow({ where: { id: event.id } })).toEqual(event);
  });

  it('still lets the app add rows', async () => {
    const before = await prisma().auditEvent.count();
    await api.gql('mutation { signOut }');
    expect(await prisma().auditEvent.count()).toBe(before + 1);
  });
});

describe('auditEvents query', () => {
  it('lists events newest first with filters, for AUDIT_READ only', async () => {
    await api.gql('mutation { createApiToken(name: "audited") { secret } }');
    const result = await api.gql<{ auditEvents: { totalCount: number; edges: { node: { action: string; outcome: string; actorLabel: string; details: unknown } }[] } }>(
      'query($f: AuditEventFilter) { auditEvents(first: 5, filter: $f) { totalCount edges { node { action outcome actorLabel details } } } }',
      { f: { action: 'createApiToken', outcome: 'SUCCESS' } },
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.auditEvents.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((node) => node.action === 'createApiToken' && node.outcome === 'SUCCESS')).toBe(true);
    expect(JSON.stringify(nodes)).not.toMatch(/sdt_/);
    const bogus = await api.gql<{ auditEvents: { totalCount: number } }>('{ auditEvents(first: 1, filter: { actorId: "nope" }) { totalCount } }');
    expect(bogus.data?.auditEvents.totalCount).toBe(0);
    const viewer = await api.tokenWith(['JOBS_READ']);
    const denied = await api.gql('{ auditEvents(first: 1) { totalCount } }', {}, { token: viewer });
    expect(denied.errors?.[0]?.message).toMatch(/Not authorized/);
  });
});

describe('typed error results', () => {
  it('records a mutation that returned a validation error as FAILURE, with the field errors', async () => {
    const result = await api.gql<{ createJob: { __typename: string } }>(
      'mutation { createJob(input: { name: "bad", action: "examples.reminder", args: { nope: 1 } }) { __typename } }',
    );
    expect(result.data?.createJob.__typename).toBe('ValidationError');
    const event = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'createJob' }, orderBy: { id: 'desc' } });
    expect(event.outcome).toBe('FAILURE');
    expect(event.details).toMatchObject({ fieldErrors: expect.arrayContaining([expect.objectContaining({ field: 'args.nope' })]) });
  });
});

describe('what a refused call leaves in the audit log', () => {
  it('stores no header value of a refused request, whatever the header is called', async () => {
    const clear = 'clear-api-key-7Hq2';
    const other = 'custom-value-9Xk1';
    const result = await api.gql<{ dispatch: { __typename: string; fieldErrors?: { field: string }[] } }>(
      'mutation($args: JSON) { dispatch(input: { action: "http.request", args: $args }) { __typename ... on ValidationError { fieldErrors { field } } } }',
      { args: { url: 'https://example.com/', headers: { 'X-Api-Key': clear, 'X-Custom': other } } },
    );
    expect(result.data?.dispatch.fieldErrors).toEqual([{ field: 'args.headers.X-Api-Key' }]);
    const event = await lastEvent('dispatch');
    expect(event.outcome).toBe('FAILURE');
    expect(event.details).toMatchObject({ args: { input: { args: { headers: { 'X-Api-Key': '[redacted]', 'X-Custom': '[redacted]' } } } } });
    expect(text(event)).not.toContain(clear);
    expect(text(event)).not.toContain(other);
  });

  it('recognises secret key names in any case and with - or _ (X-Api-Key, API_KEY, Private-Token)', async () => {
    const values = { 'X-Api-Key': 'k-one-1111', API_KEY: 'k-two-2222', 'Private-Token': 'k-three-3333', 'x-auth-token': 'k-four-4444' };
    // A successful mutation whose arguments carry such keys inside a JSON value: kept as args, values redacted.
    await api.gql('mutation($args: JSON) { dispatch(input: { action: "examples.reminder", args: $args }) { __typename } }', { args: values });
    const event = await lastEvent('dispatch');
    for (const value of Object.values(values)) expect(text(event)).not.toContain(value);
  });

  it('caps the details of one row (keys and size) and says what was cut', async () => {
    const args = Object.fromEntries(Array.from({ length: 2400 }, (_, index) => [`key${index}`, `value number ${index} `.repeat(4)]));
    const result = await api.gql('mutation($args: JSON) { createJob(input: { name: "big", action: "examples.reminder", args: $args }) { __typename } }', { args }, { token: null });
    expect(result.errors?.[0]?.message).toMatch(/Not authorized/);
    const event = await lastEvent('createJob');
    expect(event.outcome).toBe('DENIED');
    const stored = text(event.details);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(8192);
    expect(stored).toMatch(/more keys cut \(at most 50 are kept\)|over the limit of 8192/);
  });

  it('limits mutations without signing in per address (graphql.anonymous_mutations_per_minute)', async () => {
    const limited = await startTestApi({ graphql: { anonymous_mutations_per_minute: 3 } });
    try {
      const before = await limited.app.database.prisma.auditEvent.count();
      const codes: unknown[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const answer = await limited.gql('mutation { createApiToken(name: "x") { secret } }', {}, { token: null });
        codes.push(answer.errors?.[0]?.extensions?.code ?? answer.errors?.[0]?.message);
      }
      const denied = 'Not authorized to resolve Mutation.createApiToken';
      expect(codes).toEqual([denied, denied, denied, 'RATE_LIMITED', 'RATE_LIMITED']);
      // Signed-in callers are not counted.
      expect((await limited.gql('mutation { createApiToken(name: "mine") { secret } }')).errors).toBeUndefined();
      expect(await limited.app.database.prisma.auditEvent.count()).toBe(before + 4);
    } finally {
      await limited.close();
    }
  });
});

describe('ill-formed text', () => {
  it('refuses a lone UTF-16 surrogate with a field error and stores nothing', async () => {
    const before = await prisma().job.count();
    const result = await api.gql<{ createJob: { __typename: string } }>(
      'mutation($name: String!) { createJob(input: { name: $name, action: "examples.reminder", args: { message: "hi" } }) { __typename } }',
      { name: 'bad \ud800 name' },
    );
    expect(result.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'name', message: expect.stringMatching(/^is not well-formed text: a lone UTF-16 surrogate \(U\+D800\) at character 5/) }] },
    });
    // Inside a JSON argument too.
    const nested = await api.gql('mutation($args: JSON) { createJob(input: { name: "ok", action: "examples.reminder", args: $args }) { __typename } }', {
      args: { message: ['fine', 'x\udc00'] },
    });
    expect(nested.errors?.[0]?.extensions?.fieldErrors).toEqual([expect.objectContaining({ field: 'args.message.1' })]);
    // (A string literal of the document with one is refused by the GraphQL parser already.)
    expect(await prisma().job.count()).toBe(before);
  });
});

describe('operations refused before they run', () => {
  const refusedRows = () => prisma().auditEvent.findMany({ where: { action: 'refusedOperation' }, orderBy: { id: 'asc' } });

  it('leave one compact row each: actor, address, reason — never the document or its passwords', async () => {
    const before = (await refusedRows()).length;
    const spray = await api.gql(
      'mutation { a: signIn(email: "a@example.com", password: "spray-guess-one") { email } b: signIn(email: "b@example.com", password: "spray-guess-two") { email } }',
      {},
      { token: null },
    );
    expect(spray.errors?.[0]?.extensions?.code).toBe('TOO_MANY_CREDENTIAL_CHECKS');
    const aliases = Array.from({ length: 16 }, (_, index) => `a${index}: health { status }`).join(' ');
    const tooMany = await api.gql(`{ ${aliases} }`);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
    const csrf = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"mutation { signOut }"}' });
    expect(csrf.status).toBe(403);

    const rows = await waitFor(async () => {
      const found = await refusedRows();
      return found.length >= before + 3 ? found.slice(before) : null;
    });
    expect(rows).toMatchObject([
      { actorLabel: 'anonymous', actorId: null, outcome: 'DENIED', details: { code: 'TOO_MANY_CREDENTIAL_CHECKS', reason: expect.stringContaining('Only one of signIn') } },
      { actorLabel: `${ADMIN.email} (token "test admin")`, actorKind: 'TOKEN', outcome: 'DENIED', details: { code: 'QUERY_LIMIT_EXCEEDED', reason: expect.stringContaining('graphql.max_aliases') } },
      { actorLabel: 'anonymous', outcome: 'DENIED', details: { code: 'FORBIDDEN_ORIGIN' } },
    ]);
    for (const row of rows) expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(text(rows)).not.toMatch(/spray-guess/);
  });
});

describe('the actor, apart from its label', () => {
  it('stores the kind and the token id in their own fields, and a token name only escaped inside the label', async () => {
    const admin = await prisma().user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    const forged = 'x")\nroot@example.com (session';
    const { token, secret } = await api.app.auth.createApiToken(admin.id, { name: forged });
    await api.gql('mutation { createApiToken(name: "made by a forged name") { secret } }', {}, { token: secret });
    const event = await lastEvent('createApiToken');
    expect(event).toMatchObject({ actorKind: 'TOKEN', actorTokenId: token.id, actorId: admin.id });
    expect(event.actorLabel).toBe(`${ADMIN.email} (token ${JSON.stringify(forged)})`);
    expect(event.actorLabel).not.toContain('\n');

    await api.gql('mutation { revokeApiToken(id: "00000000-0000-0000-0000-000000000000") { id } }', {}, { token: null });
    expect(await lastEvent('revokeApiToken')).toMatchObject({ actorKind: 'ANONYMOUS', actorTokenId: null });

    const listed = await api.gql<{ auditEvents: { edges: { node: { actorKind: string; actorTokenId: string | null } }[] } }>(
      '{ auditEvents(first: 1, filter: { action: "createApiToken" }) { edges { node { actorKind actorTokenId } } } }',
    );
    expect(listed.data?.auditEvents.edges[0]?.node).toEqual({ actorKind: 'TOKEN', actorTokenId: token.id });
  });
});
