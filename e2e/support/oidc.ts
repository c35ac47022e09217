// Single sign-on for the browser tests: the integration tests' real OpenID Connect provider (the oidc-provider
// package, with its own login page) on loopback, and a Sundial server of the test's own configured to sign in through
// it — the shared server of playwright.config.ts has no single sign-on, so the other specs see the sign-in page they
// expect.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestProvider } from '../../apps/server/test/support/oidc-provider.ts';
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

/** The provider, then Sundial (single sign-on only, its sign-in button named `name`), ready when this returns. */
export async function startSso(accounts: Record<string, ProviderAccount>, sundial: { name: string; roleMapping: Record<string, string> }): Promise<SsoSetup> {
  const sundialPort = await freePort();
  const sundialUrl = `http://127.0.0.1:${sundialPort}`;
  const provider = await startTestProvider([`${sundialUrl}/auth/oidc/callback`]);
  for (const [id, account] of Object.entries(accounts)) provider.accounts.set(id, account);
  const { issuer } = provider;

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
      SUNDIAL_AUTH__OIDC__CLIENT_ID: provider.clientId,
      SUNDIAL_AUTH__OIDC__CLIENT_SECRET: provider.clientSecret,
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
      await provider.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
