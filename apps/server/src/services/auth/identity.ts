// Who a session or token acts as: the user, active, with the union of their roles' permissions.
import type { Permission, PrismaClient } from '../../db/prisma.js';
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

const userWithPermissions = {
  id: true,
  email: true,
  name: true,
  active: true,
  roles: { select: { role: { select: { permissions: true } } } },
} as const;

type UserRow = { id: string; email: string; name: string; active: boolean; roles: { role: { permissions: Permission[] } }[] };

function toIdentity(user: UserRow, via: Identity['via']): Identity | null {
  if (!user.active) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    permissions: new Set(user.roles.flatMap((membership) => membership.role.permissions)),
    via,
  };
}

/** The identity behind an API token secret, or null (unknown, revoked, expired, inactive user). */
export async function identityFromToken(prisma: PrismaClient, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const token = await prisma.apiToken.findUnique({
    where: { tokenHash: hashSecret(secret) },
    include: { user: { select: userWithPermissions } },
  });
  const now = new Date();
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
  // Last use is kept to the minute: no write per request for a busy integration.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } }).catch(() => {});
  }
  return toIdentity(token.user, { kind: 'token', tokenId: token.id, tokenName: token.name });
}

/** The identity behind a session cookie's secret, or null (unknown, signed out, expired, inactive user). */
export async function identityFromSession(prisma: PrismaClient, secret: string): Promise<Identity | null> {
  if (!secret.startsWith(SESSION_PREFIX)) return null;
  const session = await prisma.session.findUnique({
    where: { tokenHash: hashSecret(secret) },
    include: { user: { select: userWithPermissions } },
  });
  const now = new Date();
  if (!session || session.revokedAt || session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: now } }).catch(() => {});
  }
  return toIdentity(session.user, { kind: 'session', sessionId: session.id });
}

/** Whether an identity is still valid now (for closing open subscriptions after sign-out, revoke, role change). */
export async function stillValid(prisma: PrismaClient, identity: Identity): Promise<Identity | null> {
  const user = await prisma.user.findUnique({ where: { id: identity.userId }, select: userWithPermissions });
  if (!user) return null;
  if (identity.via.kind === 'token') {
    const token = await prisma.apiToken.findUnique({ where: { id: identity.via.tokenId } });
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= new Date())) return null;
  } else {
    const session = await prisma.session.findUnique({ where: { id: identity.via.sessionId } });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
  }
  return toIdentity(user, identity.via);
}
