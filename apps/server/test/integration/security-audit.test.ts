// The audit log through the real server: every mutation leaves an event with who, from where, what, the target and
// the outcome; secrets never reach it; and the app's own database user cannot rewrite or delete past events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';

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
