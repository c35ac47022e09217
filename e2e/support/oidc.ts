// Single sign-on for the browser tests: a real OpenID Connect provider (the oidc-provider package, with its own login
// page) on loopback, and a Sundial server of the test's own configured to sign in through it — the shared server
// of playwright.config.ts has no single sign-on, so the other specs see the sign-in page they expect.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Provider from 'oidc-provider';
import { freePort } from './environment.ts';

export interface ProviderAccount {
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
}

export interface SsoSetup {
  /** The Sundial server's own address (http://127.0.0.1:<port>). */
  sundialUrl: string;
  issuer: string;
  close(): Promise<void>;
}

const CLIENT = { id: 'sundial-e2e', secret: 'e2e-client-secret-0123456789abcdef' };

/** The provider, then Sundial (single sign-on only, its sign-in button named `name`), ready when this returns. */
export async function startSso(accounts: Record<string, ProviderAccount>, sundial: { name: string; roleMapping: Record<string, string> }): Promise<SsoSetup> {
  const sundialPort = await freePort();
  const sundialUrl = `http://127.0.0.1:${sundialPort}`;
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const providerServer = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(providerServer.address() as net.AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [`${sundialUrl}/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    cookies: { keys: ['e2e-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx, id) => {
      const account = accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
    // No consent page: the login page is the one step a person takes.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handle = (req, res) => void callback(req, res);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-e2e-sso-'));
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SUNDIAL_SERVER__HOST: '127.0.0.1',
      SUNDIAL_SERVER__PORT: String(sundialPort),
      SUNDIAL_SERVER__PUBLIC_URL: sundialUrl,
      SUNDIAL_SERVER__SHUTDOWN_GRACE_SECONDS: '1',
      SUNDIAL_DATABASE__URL: '',
      SUNDIAL_DATABASE__DATA_DIR: dataDir,
      SUNDIAL_SCHEDULER__URL: '',
      SUNDIAL_JOBS__ENABLED: 'false',
      SUNDIAL_AUTH__ADMIN_EMAIL: 'admin@example.com',
      SUNDIAL_AUTH__ADMIN_PASSWORD: 'correct horse battery staple',
      SUNDIAL_AUTH__LOCAL_SIGN_IN: 'false',
      SUNDIAL_AUTH__OIDC__ISSUER: issuer,
      SUNDIAL_AUTH__OIDC__CLIENT_ID: CLIENT.id,
      SUNDIAL_AUTH__OIDC__CLIENT_SECRET: CLIENT.secret,
      SUNDIAL_AUTH__OIDC__NAME: sundial.name,
      SUNDIAL_AUTH__OIDC__CREATE_USERS: 'true',
      SUNDIAL_AUTH__OIDC__ROLE_MAPPING: JSON.stringify(sundial.roleMapping),
    },
  });
  let output = '';
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // Ready when it says so on its console (its readiness line), or failed when it exits first.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Sundial did not start within 120 s:\n${output}`)), 120_000);
    const onData = () => {
      if (output.includes('Sundial is ready at')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Sundial exited before it was ready:\n${output}`));
    });
  });

  return {
    sundialUrl,
    issuer,
    async close() {
      server.kill('SIGTERM');
      await exited;
      providerServer.closeAllConnections();
      await new Promise<void>((resolve) => providerServer.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
