// Rate limits live in the database, not in a process: two servers on one database count against one limit, and a
// server started again finds the counts where the last one left them — on PostgreSQL (two servers, as deployed at
// scale) and on the embedded database (restarted on its data folder).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config/schema.js';
import { createLogger } from '../../src/lib/logger.js';
import { ADMIN } from '../support/api.js';
import { testConfig } from '../support/database.js';
import { FAST_ENGINE } from '../support/engine.js';

const BASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('error');

function configFor(database: Record<string, unknown>): Config {
  return testConfig({
    ...FAST_ENGINE,
    server: { port: 0 },
    database,
    actions: { dir: 'actions' },
    auth: { admin_email: ADMIN.email, admin_password: ADMIN.password, sign_in_attempts_per_address: 3 },
    graphql: { anonymous_mutations_per_minute: 4 },
  });
}

async function post(app: App, query: string, variables: object = {}) {
  const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return body.errors?.[0]?.extensions?.code ?? 'OK';
}

const anonymousMutation = (app: App) => post(app, 'mutation { signOut }');
const wrongSignIn = (app: App) =>
  post(app, 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }', { e: ADMIN.email, p: 'not the password at all' });

describe('two servers on one PostgreSQL database', () => {
  const name = `sundial_test_${crypto.randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
  const apps: App[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    // One after the other: the first migrates and creates the first admin.
    apps.push(await startApp(configFor({ url, pool_size: 3 }), { logger }));
    apps.push(await startApp(configFor({ url, pool_size: 3 }), { logger }));
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) await app.close(2000);
    const admin = new pg.Client({ connectionString: BASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('share the anonymous mutation limit, and a server started again keeps it', async () => {
    const [first, second] = apps as [App, App];
    const codes = [await anonymousMutation(first), await anonymousMutation(second), await anonymousMutation(first), await anonymousMutation(second)];
    expect(codes.every((code) => code !== 'RATE_LIMITED')).toBe(true);
    expect(await anonymousMutation(first)).toBe('RATE_LIMITED');
    expect(await anonymousMutation(second)).toBe('RATE_LIMITED');
    await second.close(2000);
    apps.pop();
    const restarted = await startApp(configFor({ url, pool_size: 3 }), { logger });
    apps.push(restarted);
    expect(await anonymousMutation(restarted)).toBe('RATE_LIMITED');
  });
});

describe('the embedded database, started again on its data folder', () => {
  let folder: string;
  let app: App | undefined;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-rate-limits-'));
  });
  afterAll(async () => {
    await app?.close(2000);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('keeps an address refused across the restart', async () => {
    const config = configFor({ data_dir: path.join(folder, 'data') });
    app = await startApp(config, { logger });
    // Three failed sign-ins from this address are its limit for 15 minutes.
    expect([await wrongSignIn(app), await wrongSignIn(app), await wrongSignIn(app)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
    expect(await wrongSignIn(app)).toBe('RATE_LIMITED');
    await app.close(2000);
    app = await startApp(config, { logger });
    expect(await wrongSignIn(app)).toBe('RATE_LIMITED');
  }, 180_000); // two starts of the embedded database from its folder
});
