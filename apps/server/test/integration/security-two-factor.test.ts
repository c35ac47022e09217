// TOTP two-factor sign-in through the real HTTP server: enrolment (secret shown once, confirmed by a code, recovery
// codes shown once), the sign-in's second step, each code accepted once, a recovery code used once, wrong codes
// refused and then rate-limited, turning it off with password and code, secrets kept out of the audit log, and
// auth.require_totp_for_admins. Codes come from otpauth with the secret enrolment returned, as an app computes them.
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/auth/passwords.js';
import { TWO_FACTOR_ATTEMPTS_PER_ACCOUNT } from '../../src/services/auth/two-factor.js';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';

const PASSWORD = 'saffron pylon tundra 31';
const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }';
const WITH_CODE = 'mutation($c: String!, $k: String!) { signInWithCode(challenge: $c, oneTimeCode: $k) { email twoFactorEnabled recoveryCodesLeft } }';

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
  const cookie = /sundial_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { body: (await response.json()) as Answer<T>, cookie: cookie ? `sundial_session=${cookie}` : null };
}

/** A code for the step `steps` away from now, as an authenticator app would show it then. */
function codeAt(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + steps * 30_000 });
}

/** A user with two-factor on, enrolled over the API: their secret, recovery codes and a session. */
async function enrolled(api: TestApi, email: string) {
  await api.app.database.prisma.user.create({ data: { email, name: email.split('@')[0]!, passwordHash: await hashPassword(PASSWORD) } });
  const { cookie } = await post(api, SIGN_IN, { e: email, p: PASSWORD });
  const begun = await post<{ beginTwoFactorEnrolment: { secret: string; uri: string } }>(api, 'mutation { beginTwoFactorEnrolment { secret uri } }', {}, { cookie: cookie! });
  const { secret, uri } = begun.body.data!.beginTwoFactorEnrolment;
  const confirmed = await post<{ confirmTwoFactorEnrolment: string[] }>(api, 'mutation($k: String!) { confirmTwoFactorEnrolment(oneTimeCode: $k) }', { k: codeAt(secret) }, { cookie: cookie! });
  expect(confirmed.body.errors).toBeUndefined();
  return { secret, uri, recoveryCodes: confirmed.body.data!.confirmTwoFactorEnrolment, cookie: cookie! };
}

async function challengeFor(api: TestApi, email: string): Promise<string> {
  const { body, cookie } = await post(api, SIGN_IN, { e: email, p: PASSWORD });
  expect(cookie).toBeNull();
  expect(body.errors?.[0]?.extensions?.code).toBe('TWO_FACTOR_REQUIRED');
  return body.errors![0]!.extensions!.challenge as string;
}

/** Starting a server migrates a fresh database: slow on a loaded machine. */
const STARTUP_MS = 180_000;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ graphql: { anonymous_mutations_per_minute: 1000 } });
}, STARTUP_MS);
afterAll(async () => {
  await api?.close();
});

describe('two-factor sign-in', () => {
  it('enrols with a secret shown once, then signs in only with a right code after the password', async () => {
    const { secret, uri, recoveryCodes } = await enrolled(api, 'totp@example.com');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/Sundial:totp%40example\\.com\\?.*secret=${secret}`));
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const challenge = await challengeFor(api, 'totp@example.com');
    const wrong = await post(api, WITH_CODE, { c: challenge, k: codeAt(secret, 3) });
    expect(wrong.body.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'oneTimeCode', message: expect.stringMatching(/^is not a current code/) }]);
    expect(wrong.cookie).toBeNull();

    const next = codeAt(secret, 1);
    const right = await post<{ signInWithCode: { email: string; twoFactorEnabled: boolean; recoveryCodesLeft: number } }>(api, WITH_CODE, { c: challenge, k: next });
    expect(right.body.data?.signInWithCode).toEqual({ email: 'totp@example.com', twoFactorEnabled: true, recoveryCodesLeft: 10 });
    expect(right.cookie).toBeTruthy();
    // The challenge is used up, and the same code is not accepted twice.
    const again = await post(api, WITH_CODE, { c: challenge, k: next });
    expect(again.body.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'challenge', message: expect.stringMatching(/^has expired or was used/) }]);
    const replay = await post(api, WITH_CODE, { c: await challengeFor(api, 'totp@example.com'), k: next });
    expect(replay.body.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'oneTimeCode', message: expect.stringMatching(/^is not a current code/) }]);

    // The secret is never returned again: a second enrolment is refused while two-factor is on.
    const reenrol = await post(api, 'mutation { beginTwoFactorEnrolment { secret } }', {}, { cookie: right.cookie! });
    expect(reenrol.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('accepts each recovery code once', async () => {
    const { recoveryCodes } = await enrolled(api, 'recovery@example.com');
    const first = await post<{ signInWithCode: { recoveryCodesLeft: number } }>(api, WITH_CODE, { c: await challengeFor(api, 'recovery@example.com'), k: recoveryCodes[0]!.toUpperCase() });
    expect(first.body.data?.signInWithCode.recoveryCodesLeft).toBe(9);
    const reused = await post(api, WITH_CODE, { c: await challengeFor(api, 'recovery@example.com'), k: recoveryCodes[0]! });
    expect(reused.body.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'oneTimeCode', message: expect.stringMatching(/nor an unused recovery code$/) }]);
    expect(reused.cookie).toBeNull();
  });

  it('refuses wrong codes, then every code once over the limit, and audits no secret', async () => {
    const { secret, recoveryCodes } = await enrolled(api, 'guessed@example.com');
    const user = await api.app.database.prisma.user.findUniqueOrThrow({ where: { email: 'guessed@example.com' } });
    const challenge = await challengeFor(api, 'guessed@example.com');
    for (let attempt = 0; attempt < TWO_FACTOR_ATTEMPTS_PER_ACCOUNT; attempt += 1) {
      const wrong = await post(api, WITH_CODE, { c: challenge, k: `00000${attempt}` === codeAt(secret) ? '999999' : `00000${attempt}` });
      expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const limited = await post(api, WITH_CODE, { c: challenge, k: codeAt(secret, 1) });
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(limited.cookie).toBeNull();

    const audit = await api.app.database.prisma.auditEvent.findMany({ where: { action: { in: ['signInWithCode', 'confirmTwoFactorEnrolment', 'beginTwoFactorEnrolment'] } } });
    const stored = JSON.stringify(audit.map((event) => event.details));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(challenge);
    expect(stored).not.toContain(recoveryCodes[0]);
    expect(audit.some((event) => event.action === 'signInWithCode' && event.outcome === 'DENIED')).toBe(true);
    expect(user.totpSecret).toBe(secret);
  });

  it('turns off with password and code only', async () => {
    const { secret, cookie } = await enrolled(api, 'off@example.com');
    const DISABLE = 'mutation($p: String!, $k: String!) { disableTwoFactor(password: $p, oneTimeCode: $k) }';
    const noPassword = await post(api, DISABLE, { p: 'not the password at all', k: codeAt(secret, 1) }, { cookie });
    expect(noPassword.body.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'password', message: 'is not your current password' }]);
    const off = await post<{ disableTwoFactor: boolean }>(api, DISABLE, { p: PASSWORD, k: codeAt(secret, 1) }, { cookie });
    expect(off.body.data?.disableTwoFactor).toBe(true);
    const signedIn = await post(api, SIGN_IN, { e: 'off@example.com', p: PASSWORD });
    expect(signedIn.cookie).toBeTruthy();
    expect(await api.app.database.prisma.recoveryCode.count({ where: { user: { email: 'off@example.com' } } })).toBe(0);
  });
});

describe('auth.require_totp_for_admins', () => {
  let strict: TestApi;
  beforeAll(async () => {
    strict = await startTestApi({
      graphql: { anonymous_mutations_per_minute: 1000 },
      auth: { admin_email: ADMIN.email, admin_password: ADMIN.password, require_totp_for_admins: true },
    });
  }, STARTUP_MS);
  afterAll(async () => {
    await strict?.close();
  });

  it('gives an admin without two-factor a session that can only enrol, and full access once enrolled', async () => {
    const { cookie } = await post(strict, SIGN_IN, { e: ADMIN.email, p: ADMIN.password });
    const before = await post<{ viewer: { permissions: string[]; mustEnrolTwoFactor: boolean } }>(strict, '{ viewer { permissions mustEnrolTwoFactor } }', {}, { cookie: cookie! });
    expect(before.body.data?.viewer).toEqual({ permissions: [], mustEnrolTwoFactor: true });
    const refused = await post(strict, '{ apiTokens { id } }', {}, { cookie: cookie! });
    expect(refused.body.errors?.[0]?.message).toMatch(/Not authorized/);

    const begun = await post<{ beginTwoFactorEnrolment: { secret: string } }>(strict, 'mutation { beginTwoFactorEnrolment { secret } }', {}, { cookie: cookie! });
    const { secret } = begun.body.data!.beginTwoFactorEnrolment;
    await post(strict, 'mutation($k: String!) { confirmTwoFactorEnrolment(oneTimeCode: $k) }', { k: codeAt(secret) }, { cookie: cookie! });
    const after = await post<{ viewer: { permissions: string[]; mustEnrolTwoFactor: boolean } }>(strict, '{ viewer { permissions mustEnrolTwoFactor } }', {}, { cookie: cookie! });
    expect(after.body.data?.viewer.mustEnrolTwoFactor).toBe(false);
    expect(after.body.data?.viewer.permissions).toContain('USERS_MANAGE');
    // API tokens are not affected.
    expect((await strict.gql('{ viewer { email } }')).data).toEqual({ viewer: { email: ADMIN.email } });
  });
});
