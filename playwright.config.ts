// Browser tests against the real app: the real server (built SPA + GraphQL) on a free port, with a fresh
// embedded database in a temporary folder, driven by a real Chromium.
import { defineConfig, devices } from '@playwright/test';
import { ADMIN } from './e2e/support/accounts.ts';
import { findChromium, freePort, throwawayDataDir } from './e2e/support/environment.ts';

// The config is evaluated again in every worker; the main process chooses once and workers inherit the env.
process.env.SUNDIAL_E2E_PORT ??= String(await freePort());
const dataDir = (process.env.SUNDIAL_E2E_DATA_DIR ??= throwawayDataDir());
const port = Number(process.env.SUNDIAL_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: findChromium(),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // prepare builds the Prisma client and the web app when stale; `node --import tsx` keeps the server one
    // process, so the SIGTERM below reaches it and it shuts down cleanly.
    command: 'node scripts/prepare.mjs && node --import tsx apps/server/src/main.ts',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      SUNDIAL_SERVER__HOST: '127.0.0.1',
      SUNDIAL_SERVER__PORT: String(port),
      SUNDIAL_SERVER__SHUTDOWN_GRACE_SECONDS: '2',
      // Explicitly empty: the embedded database, whatever sundial.yaml or the shell says.
      SUNDIAL_DATABASE__URL: '',
      SUNDIAL_DATABASE__DATA_DIR: dataDir,
      SUNDIAL_SCHEDULER__URL: '',
      // The first admin the tests sign in as; every test signs in, so the per-address limit is lifted.
      SUNDIAL_AUTH__ADMIN_EMAIL: ADMIN.email,
      SUNDIAL_AUTH__ADMIN_PASSWORD: ADMIN.password,
      SUNDIAL_AUTH__SIGN_IN_ATTEMPTS_PER_ADDRESS: '100000',
      SUNDIAL_GRAPHQL__ANONYMOUS_MUTATIONS_PER_MINUTE: '100000',
      // Signed webhook requests need a server key (a throwaway one: the database is too).
      SUNDIAL_WEBHOOKS__SECRET_KEY: 'e2e-webhook-key-0123456789abcdef0123456789',
    },
  },
});
