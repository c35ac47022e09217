// Who a request is: a session cookie (the browser) or `Authorization: Bearer <token>` (integrators).
import type { PrismaClient } from '../db/prisma.js';
import { identityFromSession, identityFromToken, SESSION_COOKIE, type Identity, type SessionPolicy } from '../services/auth/identity.js';

export async function identityOf(prisma: PrismaClient, headers: Headers, policy: SessionPolicy): Promise<Identity | null> {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match ? identityFromToken(prisma, match[1]!) : null;
  }
  const session = readCookie(headers.get('cookie'), SESSION_COOKIE);
  return session ? identityFromSession(prisma, session, policy) : null;
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      // A malformed escape (`%E0%A4%A`) is no session, not a server error. Found by security-fuzz.test.ts.
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS. */
export function sessionCookie(secret: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(secret)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}
