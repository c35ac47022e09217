// The auth.oidc settings and auth.local_sign_in as loadConfig reads them: what is refused (and how it is said, the
// client secret never shown), the secret read from a file, and the redirect URL worked out from server.public_url.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { oidcRedirectUrl } from '../../src/config/schema.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sundial-config-oidc-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const load = (env: Record<string, string>) => loadConfig({ env, cwd: dir });

function failure(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted a configuration it should refuse');
}

const BASE = {
  SUNDIAL_AUTH__OIDC__ISSUER: 'https://login.example.com/realms/staff/',
  SUNDIAL_AUTH__OIDC__CLIENT_ID: 'sundial',
  SUNDIAL_SERVER__PUBLIC_URL: 'https://sundial.example.com',
};

describe('auth.oidc', () => {
  it('is off by default, with password sign-in on', () => {
    const config = load({});
    expect(config.auth.local_sign_in).toBe(true);
    expect(config.auth.oidc).toMatchObject({ issuer: '', create_users: false, role_mapping: {}, default_role: '', name: 'SSO', groups_claim: 'groups' });
  });

  it('reads the settings from the environment, the mapping as JSON, and works out the redirect URL', () => {
    const config = load({
      ...BASE,
      SUNDIAL_AUTH__OIDC__ROLE_MAPPING: '{"sundial-admins":"admin","ops":"operator"}',
      SUNDIAL_AUTH__OIDC__SCOPES: 'openid,email,groups',
      SUNDIAL_AUTH__OIDC__CREATE_USERS: 'yes',
    });
    expect(config.auth.oidc).toMatchObject({
      issuer: 'https://login.example.com/realms/staff',
      role_mapping: { 'sundial-admins': 'admin', ops: 'operator' },
      scopes: ['openid', 'email', 'groups'],
      create_users: true,
    });
    expect(oidcRedirectUrl(config)).toBe('https://sundial.example.com/auth/oidc/callback');
    expect(oidcRedirectUrl(load({ ...BASE, SUNDIAL_AUTH__OIDC__REDIRECT_URL: 'https://sso.example.com/cb' }))).toBe('https://sso.example.com/cb');
  });

  it('takes plain http only for a provider on loopback', () => {
    expect(load({ ...BASE, SUNDIAL_AUTH__OIDC__ISSUER: 'http://127.0.0.1:9000' }).auth.oidc.issuer).toBe('http://127.0.0.1:9000');
    expect(failure({ ...BASE, SUNDIAL_AUTH__OIDC__ISSUER: 'http://login.example.com' })).toMatch(
      /^auth\.oidc\.issuer = "http:\/\/login\.example\.com" \(from SUNDIAL_AUTH__OIDC__ISSUER\): must be empty or the provider's https:\/\/ issuer URL/,
    );
  });

  it('refuses an issuer without a client id, or without anywhere to come back to', () => {
    expect(failure({ SUNDIAL_AUTH__OIDC__ISSUER: BASE.SUNDIAL_AUTH__OIDC__ISSUER, SUNDIAL_SERVER__PUBLIC_URL: BASE.SUNDIAL_SERVER__PUBLIC_URL })).toContain(
      'auth.oidc.client_id must be set when auth.oidc.issuer is',
    );
    expect(failure({ SUNDIAL_AUTH__OIDC__ISSUER: BASE.SUNDIAL_AUTH__OIDC__ISSUER, SUNDIAL_AUTH__OIDC__CLIENT_ID: 'sundial' })).toContain(
      'auth.oidc.issuer = "https://login.example.com/realms/staff/" (from SUNDIAL_AUTH__OIDC__ISSUER): needs auth.oidc.redirect_url or server.public_url',
    );
  });

  it('refuses turning password sign-in off with no single sign-on: nobody could sign in', () => {
    expect(failure({ SUNDIAL_AUTH__LOCAL_SIGN_IN: 'false' })).toContain('auth.local_sign_in is false but auth.oidc.issuer is empty: nobody could sign in');
    expect(load({ ...BASE, SUNDIAL_AUTH__LOCAL_SIGN_IN: 'false' }).auth.local_sign_in).toBe(false);
  });

  it('reads the client secret from a file, and never shows it in a message', () => {
    fs.writeFileSync(path.join(dir, 'oidc-secret'), '  s3cret-from-file\n');
    expect(load({ ...BASE, SUNDIAL_AUTH__OIDC__CLIENT_SECRET_FILE: 'oidc-secret' }).auth.oidc.client_secret).toBe('s3cret-from-file');
    expect(failure({ ...BASE, SUNDIAL_AUTH__OIDC__CLIENT_SECRET_FILE: 'missing' })).toMatch(/^auth\.oidc\.client_secret_file: cannot read .*missing \(ENOENT\)$/);
    const both = failure({ ...BASE, SUNDIAL_AUTH__OIDC__CLIENT_SECRET: 'visible?', SUNDIAL_AUTH__OIDC__CLIENT_SECRET_FILE: 'oidc-secret' });
    expect(both).toContain('give either auth.oidc.client_secret or auth.oidc.client_secret_file, not both');
    expect(both).not.toContain('visible?');
  });
});
