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
}

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
  return { userId: row.userId, email: row.email, name: row.userName, permissions: new Set(row.permissions), via: via(row) };
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

/** The identity behind a session cookie's secret, or null (unknown, signed out, expired, inactive user). */
export async function identityFromSession(prisma: PrismaClient, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(SESSION_PREFIX)) return null;
  const session = await credential(prisma, 'session', { secret });
  const now = new Date();
  const identity = identityOf(session, now, sessionVia);
  if (identity && session && (!session.lastAt || now.getTime() - session.lastAt.getTime() > 60_000)) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } }).catch(() => {});
  }
  return identity;
}

/** Whether an identity is still valid now (for closing open subscriptions after sign-out, revoke, role change). */
export async function stillValid(prisma: PrismaClient, identity: Identity): Promise<Identity | null> {
  const { via } = identity;
  const row = await credential(prisma, via.kind, { id: via.kind === 'token' ? via.tokenId : via.sessionId });
  return identityOf(row, new Date(), () => via);
}
