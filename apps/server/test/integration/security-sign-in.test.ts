// Sign-in guessing and passwords, through the real HTTP server: the password policy (a strength estimator with its
// common-password lists, nothing containing the account's e-mail or name, saying what would be accepted), and
// limits that slow guessing down per account and per address without locking the account's owner out, which an
// admin can clear and which the owner is told about. Client addresses come from X-Forwarded-For, believed from
// loopback here (server.trust_proxy), so one test plays several clients.
import { judgePassword } from '@sundial/password-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/services/auth/auth-service.js';
import { hashPassword, verifyPassword } from '../../src/services/auth/passwords.js';
import { createLogger } from '../../src/lib/logger.js';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { openTestDatabase, testConfig } from '../support/database.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({
    server: { port: 0, trust_proxy: ['127.0.0.1', '::1'] },
    auth: { admin_email: ADMIN.email, admin_password: ADMIN.password, sign_in_attempts_per_account: 3, sign_in_attempts_per_address: 8 },
    graphql: { anonymous_mutations_per_minute: 1000 },
  });
});
afterAll(async () => {
  await api?.close();
});

const SIGN_IN = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }';

async function signIn(email: string, password: string, from: string) {
  const response = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ query: SIGN_IN, variables: { e: email, p: password } }),
  });
  const body = (await response.json()) as { data?: { signIn: { email: string } | null } | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { body, retryAfter: response.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code };
}

async function createAccount(email: string, name: string, password: string) {
  return api.app.database.prisma.user.create({ data: { email, name, passwordHash: await hashPassword(password) } });
}

type FieldErrors = { field: string; message: string }[];
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) {
  __typename ... on MutationCreateUserSuccess { user { id } } ... on ValidationError { fieldErrors { field message } } } }`;

describe('password policy', () => {
  async function createUser(email: string, name: string, password: string) {
    const result = await api.gql<{ createUser: { __typename: string; fieldErrors?: FieldErrors } }>(CREATE_USER, { input: { email, name, password } });
    return result.data!.createUser;
  }

  it('refuses a common password with the estimator’s feedback and what would be accepted', async () => {
    const refused = await createUser('weak@example.com', 'Wendy Weak', 'password123');
    expect(refused.fieldErrors).toEqual([{ field: 'password', message: expect.stringMatching(/^is too easy to guess: This is a commonly used password\..*Accepted: /) }]);
    expect(await api.app.database.prisma.user.count({ where: { email: 'weak@example.com' } })).toBe(0);
  });

  it('refuses a password containing the e-mail (or its local part) or the name', async () => {
    for (const password of ['marguerite.k@example.com', 'Marguerite.K-2026!x', 'xx-kowalczyk-rules-99']) {
      const refused = await createUser('marguerite.k@example.com', 'Zofia Kowalczyk', password);
      expect(refused.fieldErrors).toEqual([{ field: 'password', message: 'must not contain the e-mail address or the name of its user' }]);
    }
  });

  it('accepts a hard-to-guess password, and refuses a weak new one in changePassword', async () => {
    expect((await createUser('strong@example.com', 'Strong Password', 'violet anchor drizzle 47')).__typename).toBe('MutationCreateUserSuccess');
    const user = await createAccount('changer@example.com', 'Changer', 'copper lantern meadow 12');
    const { secret } = await api.app.auth.createApiToken(user.id, { name: 'own' });
    const change = await api.gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }', { c: 'copper lantern meadow 12', n: 'qwertyuiop' }, { token: secret });
    expect(change.errors?.[0]?.extensions?.fieldErrors).toEqual([{ field: 'newPassword', message: expect.stringMatching(/^is too easy to guess: /) }]);
  });
});

describe('the first admin', () => {
  it('gets a generated password the policy accepts, printed once', async () => {
    const database = await openTestDatabase();
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    try {
      // The console is where the first start prints it: read it there, and pass everything on.
      process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        printed.push(String(chunk));
        return write(chunk, ...rest);
      });
      const settings = { ...testConfig().auth, admin_email: 'first@example.com', admin_password: '' };
      await new AuthService({ prisma: database.prisma, pool: database.pool, settings }).bootstrap(createLogger('error'));
      process.stdout.write = write;
      const password = /Password: (\S+)/.exec(printed.join(''))?.[1] ?? '';
      expect(await judgePassword(password, { email: 'first@example.com', name: 'Administrator' })).toMatchObject({ accepted: true });
      const admin = await database.prisma.user.findUniqueOrThrow({ where: { email: 'first@example.com' } });
      expect(await verifyPassword(admin.passwordHash!, password)).toBe(true);
    } finally {
      process.stdout.write = write;
      await database.drop();
    }
  });
});

describe('guessing an account', () => {
  it('slows an attacker down instead of locking the owner out, tells the owner, and an admin can clear it', async () => {
    const email = 'target@example.com';
    const password = 'saffron harbour quietly 81';
    const user = await createAccount(email, 'Target', password);
    const owner = '198.51.100.10';
    const attacker = '203.0.113.66';
    expect((await signIn(email, password, owner)).body.data?.signIn).toEqual({ email });

    // The per-account limit (3) passes; the next guess goes ahead, the one after must wait.
    for (let guess = 0; guess < 4; guess += 1) expect((await signIn(email, `wrong guess ${guess}`, attacker)).code).toBe('UNAUTHENTICATED');
    const waiting = await signIn(email, password, attacker);
    expect(waiting.code).toBe('RATE_LIMITED');
    expect(waiting.body.errors?.[0]?.message).toMatch(/^too many sign-in attempts; try again in \d+ s$/);
    expect(Number(waiting.retryAfter)).toBeGreaterThan(0);

    // The owner, from the address they signed in from before, is not slowed down.
    expect((await signIn(email, password, owner)).body.data?.signIn).toEqual({ email });

    const inbox = await api.app.database.prisma.inboxMessage.findMany({ where: { userId: user.id } });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ subject: 'Failed sign-in attempts on your account', body: expect.stringContaining(attacker) });

    // The owner's sign-in cleared the count; the attacker starts again and is slowed again; an admin sees and clears it.
    for (let guess = 0; guess < 5; guess += 1) await signIn(email, `again ${guess}`, '203.0.113.67');
    const seen = await api.gql<{ user: { signInThrottle: { failedAttempts: number; retryAfterSeconds: number } } }>(
      'query($id: ID!) { user(id: $id) { signInThrottle { failedAttempts retryAfterSeconds } } }',
      { id: user.id },
    );
    expect(seen.data?.user.signInThrottle.failedAttempts).toBe(5);
    expect(seen.data?.user.signInThrottle.retryAfterSeconds).toBeGreaterThan(0);
    const cleared = await api.gql<{ clearFailedSignIns: { user: { signInThrottle: { failedAttempts: number; retryAfterSeconds: number } } } }>(
      'mutation($id: ID!) { clearFailedSignIns(id: $id) { ... on MutationClearFailedSignInsSuccess { user { signInThrottle { failedAttempts retryAfterSeconds } } } } }',
      { id: user.id },
    );
    expect(cleared.data?.clearFailedSignIns.user.signInThrottle).toEqual({ failedAttempts: 0, retryAfterSeconds: 0 });
    expect((await signIn(email, password, '192.0.2.200')).body.data?.signIn).toEqual({ email });
  });

  it('refuses an address that guesses at many accounts, and only that address', async () => {
    const spray = '203.0.113.99';
    const codes: unknown[] = [];
    for (let account = 0; account < 9; account += 1) codes.push((await signIn(`sprayed-${account}@example.com`, 'Summer2026!', spray)).code);
    expect(codes.slice(0, 8).every((code) => code === 'UNAUTHENTICATED')).toBe(true);
    const refused = await signIn('sprayed-9@example.com', 'Summer2026!', spray);
    expect(refused.code).toBe('RATE_LIMITED');
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect((await signIn('sprayed-9@example.com', 'Summer2026!', '192.0.2.31')).code).toBe('UNAUTHENTICATED');
  });
});
