// Browser sessions through the real HTTP server: a new session id at every sign-in (an id held before is never the
// one signed in with), one's own sessions and tokens listed, one session revoked, "sign out everywhere" (tokens kept
// unless asked), each audited; and the idle and absolute timeouts, on a second server with short ones, waited for
// on the clock and the stored last request rather than with fixed sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/auth/passwords.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { until } from '../support/wait.js';

const PASSWORD = 'amber quarry whistle 58';
const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }';
const VIEWER = '{ viewer { email via } }';

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function post<T>(api: TestApi, query: string, variables: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sundial-csrf': '1', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { body: (await response.json()) as Answer<T>, setCookie: response.headers.get('set-cookie') };
}

/** Signs in and returns the session cookie's value (`sundial_session=…`). */
async function signIn(api: TestApi, email: string, headers: Record<string, string> = {}): Promise<string> {
  const { body, setCookie } = await post(api, SIGN_IN, { e: email, p: PASSWORD }, headers);
  expect(body.errors).toBeUndefined();
  const cookie = /sundial_session=([^;]+)/.exec(setCookie ?? '')?.[1];
  expect(cookie).toBeTruthy();
  return `sundial_session=${cookie}`;
}

async function viewerWith(api: TestApi, cookie: string): Promise<string | null> {
  const { body } = await post<{ viewer: { email: string } | null }>(api, VIEWER, {}, { cookie });
  return body.data?.viewer?.email ?? null;
}

async function createAccount(api: TestApi, email: string) {
  return api.app.database.prisma.user.create({ data: { email, name: email.split('@')[0]!, passwordHash: await hashPassword(PASSWORD) } });
}

/** Starting a server migrates a fresh database: slow on a loaded machine. */
const STARTUP_MS = 180_000;

describe('sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ graphql: { anonymous_mutations_per_minute: 1000 } });
  }, STARTUP_MS);
  afterAll(async () => {
    await api?.close();
  });

  it('gives a new session id at sign-in: a planted id is never adopted, and the session the request came with ends', async () => {
    await createAccount(api, 'fixation@example.com');
    const planted = 'sundial_session=sds_chosen-by-an-attacker-before-sign-in';
    const first = await signIn(api, 'fixation@example.com', { cookie: planted });
    expect(first).not.toBe(planted);
    expect(await viewerWith(api, planted)).toBeNull();
    expect(await viewerWith(api, first)).toBe('fixation@example.com');

    const second = await signIn(api, 'fixation@example.com', { cookie: first });
    expect(second).not.toBe(first);
    expect(await viewerWith(api, first)).toBeNull();
    expect(await viewerWith(api, second)).toBe('fixation@example.com');
  });

  it("lists one's own open sessions (address, user agent, current) and API tokens, nobody else's", async () => {
    const user = await createAccount(api, 'lister@example.com');
    const laptop = await signIn(api, 'lister@example.com', { 'user-agent': 'Laptop/1.0' });
    await signIn(api, 'lister@example.com', { 'user-agent': 'Phone/2.0' });
    const ended = await signIn(api, 'lister@example.com', { 'user-agent': 'Old/0.1' });
    await post(api, 'mutation { signOut }', {}, { cookie: ended });
    await api.app.auth.createApiToken(user.id, { name: 'lister ci' });

    const { body } = await post<{
      mySessions: { userAgent: string; ip: string | null; current: boolean; createdAt: string; lastSeenAt: string; expiresAt: string }[];
      myApiTokens: { name: string }[];
    }>(api, '{ mySessions { userAgent ip current createdAt lastSeenAt expiresAt } myApiTokens { name } }', {}, { cookie: laptop, 'user-agent': 'Laptop/1.0' });
    expect(body.errors).toBeUndefined();
    const sessions = body.data!.mySessions;
    expect(sessions.map((session) => session.userAgent).sort()).toEqual(['Laptop/1.0', 'Phone/2.0']);
    expect(sessions.find((session) => session.userAgent === 'Laptop/1.0')!.current).toBe(true);
    expect(sessions.find((session) => session.userAgent === 'Phone/2.0')!.current).toBe(false);
    for (const session of sessions) {
      expect(session.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(12 * 3600 * 1000);
    }
    expect(body.data!.myApiTokens.map((token) => token.name)).toEqual(['lister ci']);
  });

  it('revokes one of its own sessions (audited), and another user’s session id is not found', async () => {
    const owner = await createAccount(api, 'revoker@example.com');
    const here = await signIn(api, 'revoker@example.com');
    const there = await signIn(api, 'revoker@example.com', { 'user-agent': 'Elsewhere/1' });
    await createAccount(api, 'bystander@example.com');
    const bystander = await signIn(api, 'bystander@example.com');
    const sessionsOf = (email: string) => api.app.database.prisma.session.findMany({ where: { user: { email }, revokedAt: null } });
    const elsewhere = (await sessionsOf('revoker@example.com')).find((session) => session.userAgent === 'Elsewhere/1')!;
    const foreign = (await sessionsOf('bystander@example.com'))[0]!;

    const REVOKE = 'mutation($id: ID!) { revokeSession(id: $id) { id current } }';
    const refused = await post(api, REVOKE, { id: foreign.id }, { cookie: here });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await viewerWith(api, bystander)).toBe('bystander@example.com');

    const revoked = await post<{ revokeSession: { id: string; current: boolean } }>(api, REVOKE, { id: elsewhere.id }, { cookie: here });
    expect(revoked.body.data?.revokeSession).toEqual({ id: elsewhere.id, current: false });
    expect(await viewerWith(api, there)).toBeNull();
    expect(await viewerWith(api, here)).toBe('revoker@example.com');
    const audit = await api.app.database.prisma.auditEvent.findMany({ where: { action: 'revokeSession', actorId: owner.id }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.outcome, event.targetType, event.targetId])).toEqual([
      ['FAILURE', 'session', foreign.id],
      ['SUCCESS', 'session', elsewhere.id],
    ]);
  });

  it('signs out everywhere: every session ends, API tokens keep working unless revoked on purpose; audited', async () => {
    const user = await createAccount(api, 'everywhere@example.com');
    const one = await signIn(api, 'everywhere@example.com');
    const two = await signIn(api, 'everywhere@example.com', { 'user-agent': 'Tablet/3' });
    const { secret } = await api.app.auth.createApiToken(user.id, { name: 'integration' });

    const EVERYWHERE = 'mutation($t: Boolean) { signOutEverywhere(revokeApiTokens: $t) { sessions apiTokens } }';
    const done = await post<{ signOutEverywhere: { sessions: number; apiTokens: number } }>(api, EVERYWHERE, {}, { cookie: one });
    expect(done.body.data?.signOutEverywhere).toEqual({ sessions: 2, apiTokens: 0 });
    expect(done.setCookie).toMatch(/sundial_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await viewerWith(api, one)).toBeNull();
    expect(await viewerWith(api, two)).toBeNull();
    const viaToken = await api.gql<{ viewer: { email: string } }>(VIEWER, {}, { token: secret });
    expect(viaToken.data?.viewer.email).toBe('everywhere@example.com');

    const three = await signIn(api, 'everywhere@example.com');
    const withTokens = await post<{ signOutEverywhere: { sessions: number; apiTokens: number } }>(api, EVERYWHERE, { t: true }, { cookie: three });
    expect(withTokens.body.data?.signOutEverywhere).toEqual({ sessions: 1, apiTokens: 1 });
    expect((await api.gql(VIEWER, {}, { token: secret })).data?.viewer).toBeNull();
    const audit = await api.app.database.prisma.auditEvent.findMany({ where: { action: 'signOutEverywhere', actorId: user.id }, orderBy: { id: 'asc' } });
    expect(audit.map((event) => [event.outcome, event.actorKind, event.details])).toEqual([
      ['SUCCESS', 'SESSION', { args: { revokeApiTokens: false } }],
      ['SUCCESS', 'SESSION', { args: { revokeApiTokens: true } }],
    ]);
  });
});

describe('session timeouts', () => {
  const IDLE_SECONDS = 3;
  const ABSOLUTE_SECONDS = 9;
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      graphql: { anonymous_mutations_per_minute: 1000 },
      auth: { admin_email: 'admin@example.com', admin_password: 'correct horse battery staple', session_idle_timeout_seconds: IDLE_SECONDS, session_absolute_timeout_seconds: ABSOLUTE_SECONDS },
    });
  }, STARTUP_MS);
  afterAll(async () => {
    await api?.close();
  });

  const stored = (email: string) => api.app.database.prisma.session.findFirstOrThrow({ where: { user: { email } }, orderBy: { createdAt: 'desc' } });

  it('ends a session after the idle timeout without a request', async () => {
    await createAccount(api, 'idle@example.com');
    const cookie = await signIn(api, 'idle@example.com');
    expect(await viewerWith(api, cookie)).toBe('idle@example.com');
    const { lastSeenAt } = await stored('idle@example.com');
    await until('the idle timeout to pass since the last request', () => Date.now() >= lastSeenAt.getTime() + IDLE_SECONDS * 1000);
    expect(await viewerWith(api, cookie)).toBeNull();
    // Ended for good: no request brings it back, and it is no longer listed.
    expect(await viewerWith(api, cookie)).toBeNull();
  });

  it('keeps a busy session past the idle timeout, and ends it at the absolute timeout however busy', async () => {
    await createAccount(api, 'busy@example.com');
    const cookie = await signIn(api, 'busy@example.com');
    const { createdAt } = await stored('busy@example.com');
    const endedAfterMs = await until(
      'the busy session to end',
      async () => ((await viewerWith(api, cookie)) === null ? Date.now() - createdAt.getTime() : null),
      60_000,
    );
    expect(endedAfterMs).toBeGreaterThanOrEqual(ABSOLUTE_SECONDS * 1000);
    expect(endedAfterMs).toBeGreaterThan(IDLE_SECONDS * 1000 * 2);
  });
});
