// Signing in and out, sessions, API tokens and permissions through the real HTTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/services/auth/passwords.js';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ auth: { admin_email: ADMIN.email, admin_password: ADMIN.password, sign_in_attempts_per_account: 5 } });
});
afterAll(async () => {
  await api?.close();
});

async function post(body: object, headers: Record<string, string> = {}) {
  return fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('first start', () => {
  it('creates the built-in roles and the configured admin with every permission', async () => {
    const roles = await api.app.database.prisma.role.findMany({ orderBy: { name: 'asc' } });
    expect(roles.map((r) => [r.name, r.builtIn])).toEqual([['admin', true], ['operator', true], ['viewer', true]]);
    const result = await api.gql<{ viewer: { email: string; permissions: string[]; via: string } }>('{ viewer { email permissions via } }');
    expect(result.data?.viewer).toEqual({
      email: ADMIN.email,
      via: 'token',
      permissions: ['AUDIT_READ', 'JOBS_READ', 'JOBS_WRITE', 'ROLES_MANAGE', 'RUNS_EXECUTE', 'TOKENS_MANAGE', 'USERS_MANAGE'],
    });
    const admin = await api.app.database.prisma.user.findUniqueOrThrow({ where: { email: ADMIN.email } });
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite cookie, acts with it, and signs out', async () => {
    const response = await post({ query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email via } }', variables: { e: ADMIN.email, p: ADMIN.password } });
    const body = (await response.json()) as { data: { signIn: { email: string; via: string } } };
    expect(body.data.signIn).toEqual({ email: ADMIN.email, via: 'session' });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sundial_session=sds_[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    const session = cookie.split(';')[0]!;
    const stored = await api.app.database.prisma.session.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(stored.tokenHash).not.toContain(session.split('=')[1]);

    const viewer = await (await post({ query: '{ viewer { email via } }' }, { cookie: session })).json();
    expect(viewer).toEqual({ data: { viewer: { email: ADMIN.email, via: 'session' } } });

    const out = await post({ query: 'mutation { signOut }' }, { cookie: session });
    expect(out.headers.get('set-cookie')).toMatch(/^sundial_session=; .*Expires=Thu, 01 Jan 1970/);
    const after = await (await post({ query: '{ viewer { email } }' }, { cookie: session })).json();
    expect(after).toEqual({ data: { viewer: null } });
  });

  it('answers wrong e-mail and wrong password with the same generic error, then slows the account down', async () => {
    // A fresh account: the admin's was signed in to from this address above, and such an address is not slowed down.
    const email = 'guessed@example.com';
    const password = 'lilac pebble stream 58';
    await api.app.database.prisma.user.create({ data: { email, name: 'Guessed', passwordHash: await hashPassword(password) } });
    const attempt = (who: string, secret: string) =>
      api.gql('mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', { e: who, p: secret }, { token: null });
    const noSuchUser = await attempt('nobody@example.com', 'whatever-password');
    const wrongPassword = await attempt(email, 'wrong-password!');
    expect(noSuchUser.errors?.[0]?.message).toBe('wrong e-mail or password');
    expect(wrongPassword.errors?.[0]?.message).toBe('wrong e-mail or password');
    // Five failures are the limit; the sixth guess goes ahead, the next must wait.
    for (let i = 0; i < 5; i++) await attempt(email, 'wrong-password!');
    const limited = await attempt(email, password);
    expect(limited.errors?.[0]).toMatchObject({ message: expect.stringMatching(/too many sign-in attempts; try again in \d+ s/), extensions: { code: 'RATE_LIMITED' } });
    expect(limited.data?.signIn ?? null).toBeNull();
  });
});

describe('API tokens', () => {
  it('shows the secret once, stores only a hash, and stops working when revoked', async () => {
    const created = await api.gql<{ createApiToken: { secret: string; token: { id: string; name: string; prefix: string } } }>(
      'mutation { createApiToken(name: "ci") { secret token { id name prefix } } }',
    );
    const { secret, token } = created.data!.createApiToken;
    expect(secret).toMatch(/^sdt_/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    const row = await api.app.database.prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await api.gql<{ apiTokens: Record<string, unknown>[] }>('{ apiTokens { id name prefix } }');
    expect(JSON.stringify(listed)).not.toContain(secret);

    expect((await api.gql('{ viewer { email } }', {}, { token: secret })).data).toEqual({ viewer: { email: ADMIN.email } });
    await api.gql('mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: token.id });
    expect((await api.gql('{ viewer { email } }', {}, { token: secret })).data).toEqual({ viewer: null });
  });

  it('refuses token management without the permission, and anonymous callers', async () => {
    const viewerToken = await api.tokenWith(['JOBS_READ']);
    const denied = await api.gql('mutation { createApiToken(name: "x") { secret } }', {}, { token: viewerToken });
    expect(denied.errors?.[0]?.message).toMatch(/Not authorized/);
    const anonymous = await api.gql('{ apiTokens { id } }', {}, { token: null });
    expect(anonymous.errors?.[0]?.message).toMatch(/Not authorized/);
    const garbage = await api.gql('{ viewer { email } }', {}, { token: 'sdt_not-a-real-token' });
    expect(garbage.data).toEqual({ viewer: null });
  });
});

describe('changing a password', () => {
  it('counts wrong current passwords like sign-in attempts (through a token), audits the refusals, and changes nothing once limited', async () => {
    const email = 'changer@example.com';
    const password = 'the original passphrase 1';
    const user = await api.app.database.prisma.user.create({ data: { email, name: 'Changer', passwordHash: await hashPassword(password) } });
    const { secret: token } = await api.app.auth.createApiToken(user.id, { name: 'stolen' });
    const change = (current: string) =>
      api.gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', { c: current, n: 'a new passphrase for me 2' }, { token });
    const before = await api.app.database.prisma.auditEvent.count({ where: { action: 'changePassword', actorId: user.id } });
    // Five failures are the limit; the sixth guess goes ahead, the next must wait.
    for (let guess = 0; guess < 6; guess += 1) {
      const wrong = await change(`guess number ${guess}`);
      expect(wrong.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    const limited = await change(password);
    expect(limited.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^too many password attempts; try again in \d+ s$/), extensions: { code: 'RATE_LIMITED' } });
    const stored = await api.app.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(stored.passwordHash!, password)).toBe(true);
    const events = await api.app.database.prisma.auditEvent.findMany({ where: { action: 'changePassword', actorId: user.id }, orderBy: { id: 'asc' } });
    expect(events.length - before).toBe(7);
    expect(events.at(-1)?.outcome).toBe('DENIED');
    expect(events.slice(-7, -1).every((event) => event.outcome === 'FAILURE')).toBe(true);
  });
});
