// Single sign-on with an OpenID Connect provider: the authorization code flow with PKCE, state and nonce
// (openid-client does the protocol: discovery, the token request, ID token and userinfo checks). This file holds the
// rules around it: which account a verified e-mail signs in to, which roles the provider's groups give it, and an
// audit row for every attempt, signed in or refused with its reason. The HTTP side is http/oidc.ts.
import * as client from 'openid-client';
import type pg from 'pg';
import type { PrismaClient } from '../../db/prisma.js';
import { createRateLimiter, type RateLimiter } from '../../db/rate-limits.js';
import type { Logger } from '../../lib/logger.js';
import { AuditService } from '../audit.js';
import type { AuthService } from './auth-service.js';

export interface OidcSettings {
  issuer: string;
  client_id: string;
  client_secret: string;
  /** Where the provider sends the browser back (auth.oidc.redirect_url or server.public_url's callback). */
  redirect_url: string;
  name: string;
  scopes: string[];
  groups_claim: string;
  role_mapping: Record<string, string>;
  default_role: string;
  create_users: boolean;
}

/** What the sign-in page needs to know: whether passwords work, and the single sign-on button's label. */
export interface SignInOptions {
  localSignIn: boolean;
  sso: { name: string; startPath: string } | null;
}

/** Why a sign-in was refused; the sign-in page says each in words (the address carries only the code). */
export type OidcRefusal =
  | 'bad_state'
  | 'provider_error'
  | 'unverified_email'
  | 'no_account'
  | 'inactive'
  | 'no_role'
  | 'unavailable';

/** What the browser keeps between leaving for the provider and coming back (an HttpOnly cookie, 10 minutes). */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  /** The app path to open after signing in. */
  next: string;
}

export type OidcOutcome =
  | { ok: true; secret: string; expiresAt: Date; next: string }
  | { ok: false; refusal: OidcRefusal; next: string };

export const OIDC_START_PATH = '/auth/oidc/start';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';
/** How long a browser may take at the provider. */
export const OIDC_FLOW_SECONDS = 600;

const AUDIT_ACTION = 'oidcSignIn';
/**
 * Audit rows of refused sign-ins per client address and minute: a forged callback costs nothing to send, and the
 * audit table is append-only, so a flood leaves a log line rather than a full disk (as refused operations do).
 */
const REFUSED_ROWS_PER_ADDRESS_PER_MINUTE = 60;

interface Meta {
  ip: string | null;
  userAgent: string | null;
}

/** A refusal with what the audit row says about it (never a token or a secret). */
class Refused extends Error {
  constructor(
    readonly refusal: OidcRefusal,
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

export class OidcSignIn {
  private readonly prisma: PrismaClient;
  private readonly auth: AuthService;
  private readonly audit: AuditService;
  private readonly settings: OidcSettings;
  private readonly localSignIn: boolean;
  private readonly logger: Logger | null;
  private readonly refusedRows: RateLimiter;
  /** The provider's metadata, discovered on first use and kept; a failed discovery is tried again next time. */
  private configuration: Promise<client.Configuration> | null = null;

  constructor(deps: { prisma: PrismaClient; pool: pg.Pool; auth: AuthService; settings: OidcSettings; localSignIn: boolean; logger?: Logger | null }) {
    this.prisma = deps.prisma;
    this.refusedRows = createRateLimiter(deps.pool, { name: 'oidc-refused-rows', points: REFUSED_ROWS_PER_ADDRESS_PER_MINUTE, durationSeconds: 60 });
    this.auth = deps.auth;
    this.audit = new AuditService(deps.prisma);
    this.settings = deps.settings;
    this.localSignIn = deps.localSignIn;
    this.logger = deps.logger ?? null;
  }

  get enabled(): boolean {
    return this.settings.issuer !== '';
  }

  options(): SignInOptions {
    return { localSignIn: this.localSignIn, sso: this.enabled ? { name: this.settings.name, startPath: OIDC_START_PATH } : null };
  }

  private discover(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const secret = this.settings.client_secret;
      const configuration = await client.discovery(
        issuer,
        this.settings.client_id,
        undefined,
        secret ? client.ClientSecretBasic(secret) : client.None(),
        // Plain http is accepted for a provider on loopback only (the config refuses any other http issuer).
        { ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}), timeout: 10 },
      );
      return configuration;
    })().catch((error: unknown) => {
      this.configuration = null;
      throw error;
    });
    return this.configuration;
  }

  /** Where to send the browser, and what it must bring back. */
  async start(next: string): Promise<{ redirectTo: URL; flow: OidcFlow } | { refusal: 'unavailable' }> {
    let configuration: client.Configuration;
    try {
      configuration = await this.discover();
    } catch (error) {
      this.logger?.warn(`oidc: cannot reach the provider's discovery document at ${this.settings.issuer}: ${describe(error)}`);
      return { refusal: 'unavailable' };
    }
    const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
    const scopes = new Set(['openid', ...this.settings.scopes]);
    const redirectTo = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirect_url,
      scope: [...scopes].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { redirectTo, flow };
  }

  /**
   * The provider sent the browser back with `query` (code and state, or an error). The flow is the one start()
   * gave this browser, or null when its cookie is missing. Signs the account in, or says why not; audits either way.
   */
  async finish(query: URLSearchParams, flow: OidcFlow | null, meta: Meta): Promise<OidcOutcome> {
    const next = flow?.next ?? '/';
    try {
      const { user, details } = await this.verify(query, flow);
      const { session, secret } = await this.auth.openSession(user.id, meta);
      await this.record(meta, 'SUCCESS', { id: user.id, email: user.email }, session.id, details);
      return { ok: true, secret, expiresAt: session.expiresAt, next };
    } catch (error) {
      const refused =
        error instanceof Refused
          ? error
          : new Refused('provider_error', `the provider's answer could not be verified: ${describe(error)}`);
      if (!(error instanceof Refused)) this.logger?.warn(`oidc: sign-in refused: ${refused.reason}`);
      await this.record(meta, 'DENIED', null, null, { refused: refused.refusal, reason: refused.reason, ...refused.details });
      return { ok: false, refusal: refused.refusal, next };
    }
  }

  private async verify(query: URLSearchParams, flow: OidcFlow | null) {
    // Checked here before anything is sent to the provider: a callback this browser did not start is refused.
    if (!flow) throw new Refused('bad_state', 'no sign-in was started in this browser (its cookie is missing or expired)');
    if (query.get('state') !== flow.state) throw new Refused('bad_state', 'the state returned by the provider does not match this browser\'s sign-in');
    const providerError = query.get('error');
    if (providerError) {
      throw new Refused('provider_error', `the provider refused: ${providerError}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}`);
    }
    const configuration = await this.discover().catch((error: unknown) => {
      throw new Refused('unavailable', `cannot reach the provider: ${describe(error)}`);
    });
    // The URL the provider redirected to, as the provider knows it (behind a proxy the request's own URL differs).
    const current = new URL(this.settings.redirect_url);
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(configuration, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new Refused('provider_error', 'the provider returned no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    if (configuration.serverMetadata().userinfo_endpoint) {
      const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      claims = { ...userInfo, ...claims, ...pick(userInfo, ['email', 'email_verified', 'name', this.settings.groups_claim]) };
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    const groups = groupsOf(claims[this.settings.groups_claim]);
    const details: Record<string, unknown> = { issuer: this.settings.issuer, subject: idClaims.sub, email, groups };
    if (!email) throw new Refused('unverified_email', 'the provider gave no e-mail address (ask for the email scope)', details);
    if (claims.email_verified !== true) throw new Refused('unverified_email', `the provider has not verified the e-mail address ${email}`, details);

    const roleNames = this.rolesFor(groups);
    if (roleNames.length === 0) {
      throw new Refused(
        'no_role',
        `none of the groups (${groups.join(', ') || 'none'}) maps to a role in auth.oidc.role_mapping, and auth.oidc.default_role is empty`,
        details,
      );
    }
    const roles = await this.prisma.role.findMany({ where: { name: { in: roleNames } }, select: { id: true, name: true } });
    const missing = roleNames.filter((name) => !roles.some((role) => role.name === name));
    if (missing.length > 0) throw new Refused('no_role', `the mapped role(s) ${missing.join(', ')} do not exist`, { ...details, roles: roleNames });

    const existing = await this.prisma.user.findUnique({ where: { email } });
    if (existing && !existing.active) throw new Refused('inactive', `the account ${email} is deactivated`, details);
    if (!existing && !this.settings.create_users) {
      throw new Refused('no_account', `there is no account for ${email}, and auth.oidc.create_users is off`, details);
    }
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
    // The provider's groups decide the roles at every sign-in: someone taken out of a group loses its role here too.
    const user = await this.prisma.$transaction(async (tx) => {
      const account = existing ?? (await tx.user.create({ data: { email, name } }));
      await tx.userRole.deleteMany({ where: { userId: account.id, roleId: { notIn: roles.map((role) => role.id) } } });
      await tx.userRole.createMany({ data: roles.map((role) => ({ userId: account.id, roleId: role.id })), skipDuplicates: true });
      return account;
    });
    return { user, details: { ...details, roles: roleNames, created: !existing } };
  }

  /** The roles the groups map to (case-insensitive group names), or the default role when none does. */
  private rolesFor(groups: string[]): string[] {
    const wanted = new Set(groups.map((group) => group.toLowerCase()));
    const mapped = new Set<string>();
    for (const [group, role] of Object.entries(this.settings.role_mapping)) if (wanted.has(group.toLowerCase())) mapped.add(role);
    if (mapped.size === 0 && this.settings.default_role) mapped.add(this.settings.default_role);
    return [...mapped].sort();
  }

  private async record(meta: Meta, outcome: 'SUCCESS' | 'DENIED', user: { id: string; email: string } | null, sessionId: string | null, details: Record<string, unknown>) {
    if (outcome === 'DENIED') {
      const allowed = await this.refusedRows.consume(meta.ip ?? 'unknown').then(
        () => true,
        () => false,
      );
      if (!allowed) {
        this.logger?.warn(`audit: refused single sign-on from ${meta.ip ?? 'unknown'} not recorded (over ${REFUSED_ROWS_PER_ADDRESS_PER_MINUTE} a minute): ${String(details.refused)}`);
        return;
      }
    }
    await this.audit
      .record({
        actorId: user?.id ?? null,
        actorLabel: user?.email ?? 'anonymous',
        actorKind: user ? 'SESSION' : 'ANONYMOUS',
        ip: meta.ip,
        action: AUDIT_ACTION,
        targetType: 'session',
        targetId: sessionId,
        outcome,
        details,
      })
      .catch((error: unknown) => this.logger?.error(`audit: could not record a single sign-on: ${describe(error)}`));
  }
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
}

/** A groups claim as a list of names: an array of strings, or one string. */
function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').slice(0, 200) : [];
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return text.split('\n')[0]!.slice(0, 300);
}
