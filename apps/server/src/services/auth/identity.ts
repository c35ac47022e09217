// Who a session or token acts as: the user, active, with the union of their roles' permissions.
import type { Permission, PrismaClient } from '../../db/prisma.js';
import { findCredential, type CredentialKind, type CredentialRow } from '../../db/sql/auth/find-credential.js';
import { prismaSql } from '../../db/sql/client.js';
import { hashSecret } from './secrets.js';

export interface Identity {
  userId: string;
  email: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  via: { kind: 'session'; sessionId: string } | { kind: 'token'; tokenId: string; tokenName: string };
  /** Whether the user has TOTP two-factor sign-in on. */
  twoFactor?: boolean;
  /**
   * An admin signed in without two-factor while auth.require_totp_for_admins is on: the session carries no
   * permission until two-factor is on (the account page's enrolment is all it can do).
   */
  mustEnrolTwoFactor?: boolean;
}

/**
 * How long a browser session lasts (auth.session_idle_timeout_seconds, auth.session_absolute_timeout_seconds): it
 * ends after `idleSeconds` without a request, and `absoluteSeconds` after its sign-in however busy it is. Both are
 * checked on every request against the settings in force, so shortening them applies to sessions already open.
 */
export interface SessionPolicy {
  idleSeconds: number;
  absoluteSeconds: number;
  /** auth.require_totp_for_admins: an admin's session without two-factor carries no permission until it is on. */
  twoFactorForAdmins: boolean;
}

/** Permissions that make an account an admin for auth.require_totp_for_admins: with either, it can grant itself anything. */
const ADMIN_PERMISSIONS: readonly Permission[] = ['USERS_MANAGE', 'ROLES_MANAGE'];

export const SESSION_COOKIE = 'sundial_session';
export const SESSION_PREFIX = 'sds_';
export const TOKEN_PREFIX = 'sdt_';

/**
 * A credential by its secret (every request) or its id (the subscription guard's re-check), with its user and
 * permissions, in one statement.
 */
function credential(prisma: PrismaClient, kind: CredentialKind, by: { secret: string } | { id: string }): Promise<CredentialRow | null> {
  return findCredential(prismaSql(prisma), kind, 'secret' in by ? { secretHash: hashSecret(by.secret) } : by);
}

/** The identity a credential grants now: none when it is unknown, revoked or expired, or its user is inactive. */
function identityOf(row: CredentialRow | null, now: Date, via: (row: CredentialRow) => Identity['via']): Identity | null {
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.active) return null;
  return { userId: row.userId, email: row.email, name: row.userName, permissions: new Set(row.permissions), via: via(row), twoFactor: row.twoFactor };
}

/** A session of an admin without two-factor, where it is required, keeps no permission until two-factor is on. */
function enforcingTwoFactor(identity: Identity | null, policy: SessionPolicy): Identity | null {
  if (!identity || !policy.twoFactorForAdmins || identity.twoFactor) return identity;
  if (!ADMIN_PERMISSIONS.some((permission) => identity.permissions.has(permission))) return identity;
  return { ...identity, permissions: new Set(), mustEnrolTwoFactor: true };
}

/** Whether a session has ended by its timeouts: too long since its sign-in, or since its last request. */
export function sessionTimedOut(session: { createdAt: Date; lastSeenAt: Date | null }, policy: SessionPolicy, now: Date): boolean {
  const idleSince = (session.lastSeenAt ?? session.createdAt).getTime();
  return now.getTime() - session.createdAt.getTime() >= policy.absoluteSeconds * 1000 || now.getTime() - idleSince >= policy.idleSeconds * 1000;
}

/**
 * How often a session's last request is written: at most once a minute (no write per request), and often enough
 * that a short idle timeout is judged to within a tenth of it.
 */
function touchEveryMs(policy: SessionPolicy): number {
  return Math.min(60_000, (policy.idleSeconds * 1000) / 10);
}

const tokenVia = (row: CredentialRow): Identity['via'] => ({ kind: 'token', tokenId: row.id, tokenName: row.name ?? '' });
const sessionVia = (row: CredentialRow): Identity['via'] => ({ kind: 'session', sessionId: row.id });

/** The identity behind an API token secret, or null (unknown, revoked, expired, inactive user). */
export async function identityFromToken(prisma: PrismaClient, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const token = await credential(prisma, 'token', { secret });
  const now = new Date();
  const identity = identityOf(token, now, tokenVia);
  // Last use is kept to the minute: no write per request for a busy integration.
  if (identity && token && (!token.lastAt || now.getTime() - token.lastAt.getTime() > 60_000)) {
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return identity;
}

/** The identity behind a session cookie's secret, or null (unknown, signed out, timed out, inactive user). */
export async function identityFromSession(prisma: PrismaClient, secret: string, policy: SessionPolicy): Promise<Identity | null> {
  if (!secret.startsWith(SESSION_PREFIX)) return null;
  const session = await credential(prisma, 'session', { secret });
  const now = new Date();
  if (!session || sessionTimedOut({ createdAt: session.createdAt, lastSeenAt: session.lastAt }, policy, now)) return null;
  const identity = enforcingTwoFactor(identityOf(session, now, sessionVia), policy);
  if (identity && (!session.lastAt || now.getTime() - session.lastAt.getTime() > touchEveryMs(policy))) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } }).catch(() => {});
  }
  return identity;
}

/**
 * Whether an identity is still valid now (for closing open subscriptions after sign-out, revoke, role change, or a
 * session's timeout: an open stream is not a request, so a page left open does not keep its session alive).
 */
export async function stillValid(prisma: PrismaClient, identity: Identity, policy: SessionPolicy): Promise<Identity | null> {
  const { via } = identity;
  const row = await credential(prisma, via.kind, { id: via.kind === 'token' ? via.tokenId : via.sessionId });
  const now = new Date();
  if (row && via.kind === 'session' && sessionTimedOut({ createdAt: row.createdAt, lastSeenAt: row.lastAt }, policy, now)) return null;
  const current = identityOf(row, now, () => via);
  return via.kind === 'session' ? enforcingTwoFactor(current, policy) : current;
}
