// Single sign-on against a real OpenID Connect provider (oidc-provider) on loopback, over HTTP as a browser does it:
// redirects followed by hand with a cookie jar, the provider's own login form posted. Covers the account a verified
// e-mail signs in to (created with its mapped role, or an existing one matched), what is refused and why (an
// unverified e-mail, a state that is not this browser's, no role), the audit rows, and password sign-in turned off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestApi, type TestApi } from '../support/api.js';
import { freePort, startTestProvider, type TestProvider } from '../support/oidc-provider.js';

/** A browser's cookies, by name (the servers are all on 127.0.0.1, where browsers share cookies across ports too). */
class Browser {
  readonly cookies = new Map<string, string>();

  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute) || /expires=thu, 01 jan 1970/i.test(attribute));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    return response;
  }

  /** Follows redirects from `url` until an answer that is not one; returns it with the URL it came from. */
  async follow(url: string, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
    let current = url;
    let response = await this.get(current, init);
    for (let hops = 0; response.status >= 300 && response.status < 400; hops += 1) {
      if (hops > 20) throw new Error('too many redirects');
      current = new URL(response.headers.get('location')!, current).href;
      // Sundial's own pages are the SPA: stop at the first address of it rather than download it.
      if (new URL(current).origin === sundialOrigin && !new URL(current).pathname.startsWith('/auth/')) return { response, url: current };
      response = await this.get(current);
    }
    return { response, url: current };
  }
}

let sundialOrigin = '';

/** Signs in at Sundial through the provider as `account`: start, the provider's login form, back to Sundial. */
async function signInWithSso(api: TestApi, account: string, browser = new Browser()) {
  sundialOrigin = api.url;
  const atLogin = await browser.follow(`${api.url}/auth/oidc/start?next=/jobs`);
  expect(atLogin.response.status).toBe(200);
  const page = await atLogin.response.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  expect(action, 'the provider shows its login form').toBeTruthy();
  const form = new URLSearchParams({ prompt: 'login', login: account, password: 'any password' });
  const back = await browser.follow(new URL(action!, atLogin.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return { landed: new URL(back.url), browser };
}

async function viewerOf(api: TestApi, browser: Browser) {
  const cookie = browser.cookies.get('sundial_session');
  const result = await api.gql<{ viewer: { email: string; permissions: string[] } | null }>('{ viewer { email permissions } }', {}, {
    token: null,
    headers: cookie ? { cookie: `sundial_session=${cookie}` } : {},
  });
  return result.data?.viewer ?? null;
}

async function lastAudit(api: TestApi) {
  return api.app.database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'oidcSignIn' }, orderBy: { at: 'desc' } });
}

let provider: TestProvider;
let api: TestApi;
let ports: [number, number];

beforeAll(async () => {
  ports = [await freePort(), await freePort()];
  provider = await startTestProvider(ports.map((port) => `http://127.0.0.1:${port}/auth/oidc/callback`));
  provider.accounts.set('ada', { email: 'Ada@Example.com', email_verified: true, name: 'Ada Lovelace', groups: ['sundial-ops'] });
  provider.accounts.set('grace', { email: 'grace@example.com', email_verified: true, name: 'Grace Hopper', groups: ['sundial-admins', 'staff'] });
  provider.accounts.set('mallory', { email: ADMIN.email, email_verified: false, name: 'Mallory', groups: ['sundial-admins'] });
  provider.accounts.set('nobody', { email: 'nobody@example.com', email_verified: true, name: 'No Group', groups: ['staff'] });
  api = await startTestApi({
    server: { port: ports[0], public_url: `http://127.0.0.1:${ports[0]}` },
    auth: {
      admin_email: ADMIN.email,
      admin_password: ADMIN.password,
      oidc: {
        issuer: provider.issuer,
        client_id: provider.clientId,
        client_secret: provider.clientSecret,
        name: 'Example ID',
        create_users: true,
        role_mapping: { 'sundial-ops': 'operator', 'Sundial-Admins': 'admin' },
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await provider?.close();
});

describe('single sign-on (OpenID Connect)', () => {
  it('publishes how to sign in', async () => {
    const result = await api.gql<{ signInOptions: unknown }>('{ signInOptions { localSignIn sso { name startPath } } }', {}, { token: null });
    expect(result.data?.signInOptions).toEqual({ localSignIn: true, sso: { name: 'Example ID', startPath: '/auth/oidc/start' } });
  });

  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const browser = new Browser();
    const response = await browser.get(`${api.url}/auth/oidc/start`);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(provider.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    expect(location.searchParams.get('nonce')).toBeTruthy();
    expect(location.searchParams.get('redirect_uri')).toBe(`${api.url}/auth/oidc/callback`);
    expect(location.searchParams.get('client_secret')).toBeNull();
    expect(response.headers.getSetCookie().join('\n')).toMatch(/^sundial_oidc=[^;]+; Path=\/auth\/oidc\/; HttpOnly; SameSite=Lax; Max-Age=600$/m);
  });

  it('creates a new user with the role their group maps to, and signs them in', async () => {
    const { landed, browser } = await signInWithSso(api, 'ada');
    expect(landed.pathname).toBe('/jobs');
    const viewer = await viewerOf(api, browser);
    expect(viewer?.email).toBe('ada@example.com');
    const user = await api.app.database.prisma.user.findUniqueOrThrow({ where: { email: 'ada@example.com' }, include: { roles: { include: { role: true } } } });
    expect(user.name).toBe('Ada Lovelace');
    expect(user.passwordHash).toBeNull();
    expect(user.roles.map((entry) => entry.role.name)).toEqual(['operator']);
    const audit = await lastAudit(api);
    expect(audit).toMatchObject({ outcome: 'SUCCESS', actorId: user.id, actorKind: 'SESSION', targetType: 'session' });
    expect(audit.details).toMatchObject({ email: 'ada@example.com', groups: ['sundial-ops'], roles: ['operator'], created: true });
    expect(JSON.stringify(audit.details)).not.toContain(provider.clientSecret);
  });

  it('signs an existing account in by its e-mail, its roles set by its groups (group names in any case)', async () => {
    const prisma = api.app.database.prisma;
    const viewerRole = await prisma.role.findUniqueOrThrow({ where: { name: 'viewer' } });
    const existing = await prisma.user.create({ data: { email: 'grace@example.com', name: 'G. Hopper', roles: { create: { roleId: viewerRole.id } } } });
    const { landed, browser } = await signInWithSso(api, 'grace');
    expect(landed.pathname).toBe('/jobs');
    expect((await viewerOf(api, browser))?.permissions).toContain('USERS_MANAGE');
    const user = await prisma.user.findUniqueOrThrow({ where: { email: 'grace@example.com' }, include: { roles: { include: { role: true } } } });
    expect(user.id).toBe(existing.id);
    expect(user.name).toBe('G. Hopper');
    expect(user.roles.map((entry) => entry.role.name)).toEqual(['admin']);
    expect((await lastAudit(api)).details).toMatchObject({ created: false, roles: ['admin'] });
  });

  it('refuses an e-mail the provider has not verified, even one of an existing account', async () => {
    const { landed, browser } = await signInWithSso(api, 'mallory');
    expect(landed.pathname).toBe('/sign-in');
    expect(landed.searchParams.get('sso')).toBe('unverified_email');
    expect(browser.cookies.has('sundial_session')).toBe(false);
    const audit = await lastAudit(api);
    expect(audit).toMatchObject({ outcome: 'DENIED', actorId: null, actorKind: 'ANONYMOUS' });
    expect(audit.details).toMatchObject({ refused: 'unverified_email', reason: `the provider has not verified the e-mail address ${ADMIN.email}` });
  });

  it('refuses a user none of whose groups maps to a role (no default role)', async () => {
    const { landed } = await signInWithSso(api, 'nobody');
    expect(landed.searchParams.get('sso')).toBe('no_role');
    expect(await api.app.database.prisma.user.count({ where: { email: 'nobody@example.com' } })).toBe(0);
    expect((await lastAudit(api)).details).toMatchObject({ refused: 'no_role', groups: ['staff'] });
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const browser = new Browser();
    const started = await browser.get(`${api.url}/auth/oidc/start`);
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const forged = await browser.get(`${api.url}/auth/oidc/callback?code=stolen-code&state=not-${state}`);
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/sign-in?sso=bad_state');
    expect(browser.cookies.has('sundial_session')).toBe(false);
    expect((await lastAudit(api)).details).toMatchObject({ refused: 'bad_state' });

    // …and one that arrives in a browser that started nothing (a login-CSRF attempt: the attacker's code).
    const victim = new Browser();
    const planted = await victim.get(`${api.url}/auth/oidc/callback?code=attackers-code&state=${state}`);
    expect(planted.headers.get('location')).toBe('/sign-in?sso=bad_state');
    expect(victim.cookies.has('sundial_session')).toBe(false);
    expect((await lastAudit(api)).details).toMatchObject({ refused: 'bad_state', reason: expect.stringMatching(/no sign-in was started/) });
  });

  it('refuses a deactivated account, and says why the provider refused', async () => {
    const prisma = api.app.database.prisma;
    await prisma.user.update({ where: { email: 'grace@example.com' }, data: { active: false } });
    const { landed } = await signInWithSso(api, 'grace');
    expect(landed.searchParams.get('sso')).toBe('inactive');
    expect((await lastAudit(api)).details).toMatchObject({ refused: 'inactive', reason: 'the account grace@example.com is deactivated' });
    await prisma.user.update({ where: { email: 'grace@example.com' }, data: { active: true } });

    // The provider answers with an error instead of a code (the user cancelled at its login page).
    const browser = new Browser();
    const started = await browser.get(`${api.url}/auth/oidc/start`);
    const state = new URL(started.headers.get('location')!).searchParams.get('state')!;
    const back = await browser.get(`${api.url}/auth/oidc/callback?error=access_denied&error_description=End-User+aborted&state=${state}`);
    expect(back.headers.get('location')).toBe('/sign-in?sso=provider_error');
    expect((await lastAudit(api)).details).toMatchObject({ refused: 'provider_error', reason: 'the provider refused: access_denied (End-User aborted)' });
  });

  it('keeps `next` to paths of this app', async () => {
    const browser = new Browser();
    const response = await browser.get(`${api.url}/auth/oidc/start?next=${encodeURIComponent('//evil.example/x')}`);
    const flow = JSON.parse(Buffer.from(browser.cookies.get('sundial_oidc')!, 'base64url').toString()) as { next: string };
    expect(response.status).toBe(303);
    expect(flow.next).toBe('/');
  });
});

describe('password sign-in turned off', () => {
  let ssoOnly: TestApi;
  beforeAll(async () => {
    ssoOnly = await startTestApi({
      server: { port: ports[1], public_url: `http://127.0.0.1:${ports[1]}` },
      auth: {
        admin_email: ADMIN.email,
        admin_password: ADMIN.password,
        local_sign_in: false,
        oidc: { issuer: provider.issuer, client_id: provider.clientId, client_secret: provider.clientSecret, default_role: 'viewer', create_users: true },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await ssoOnly?.close();
  });

  it('refuses signIn with a clear error, audited, and says so in signInOptions', async () => {
    const result = await ssoOnly.gql('mutation { signIn(email: "admin@example.com", password: "correct horse battery staple") { email } }', {}, { token: null });
    expect(result.errors?.[0]).toMatchObject({
      message: 'signing in with a password is turned off on this server (auth.local_sign_in); sign in with single sign-on',
      extensions: { code: 'FORBIDDEN' },
    });
    const audit = await ssoOnly.app.database.prisma.auditEvent.findFirstOrThrow({ where: { action: 'signIn' }, orderBy: { at: 'desc' } });
    expect(audit.outcome).toBe('DENIED');
    const options = await ssoOnly.gql<{ signInOptions: unknown }>('{ signInOptions { localSignIn sso { name } } }', {}, { token: null });
    expect(options.data?.signInOptions).toEqual({ localSignIn: false, sso: { name: 'SSO' } });
  });

  it('still signs in with single sign-on; a user of no mapped group gets the default role', async () => {
    const { landed, browser } = await signInWithSso(ssoOnly, 'nobody');
    expect(landed.pathname).toBe('/jobs');
    expect((await viewerOf(ssoOnly, browser))?.permissions).toEqual(['JOBS_READ']);
  });
});

describe('addresses', () => {
  it('answers 404 under /auth/oidc/ but for start and callback, and 405 to anything but GET', async () => {
    expect((await fetch(`${api.url}/auth/oidc/other`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${api.url}/auth/oidc/start`, { method: 'POST', redirect: 'manual' })).status).toBe(405);
  });
});

describe('not configured (the default)', () => {
  it('publishes password sign-in only, and its addresses answer 404', async () => {
    const plain = await startTestApi();
    try {
      const options = await plain.gql<{ signInOptions: unknown }>('{ signInOptions { localSignIn sso { name } } }', {}, { token: null });
      expect(options.data?.signInOptions).toEqual({ localSignIn: true, sso: null });
      const response = await fetch(`${plain.url}/auth/oidc/start`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ message: 'Single sign-on is not configured on this server (auth.oidc.issuer).' }] });
    } finally {
      await plain.close();
    }
  }, 120_000);
});
