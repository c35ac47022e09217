// Browser sessions, kept server-side (the sessions table; the cookie holds only a random secret whose SHA-256 is
// stored). A sign-in always starts a new session with a new secret, and ends the session the request came with, so
// an id a client held before signing in is never the one it is signed in with (no session fixation). A session ends
// by sign-out, by its owner revoking it or signing out everywhere, by a password change (the others), or by its
// idle and absolute timeouts (identity.ts checks those on every request).
import type { PrismaClient, Session } from '../../db/prisma.js';
import { NotFoundError } from '../errors.js';
import { SESSION_PREFIX, sessionTimedOut, type SessionPolicy } from './identity.js';
import { hashSecret, newSecret } from './secrets.js';

export interface SessionStart {
  ip: string | null;
  userAgent: string | null;
  /** The session the sign-in request came with, if any: it ends, whoever it belonged to. */
  replacing: string | null;
}

export class Sessions {
  constructor(
    private readonly prisma: PrismaClient,
    readonly policy: SessionPolicy,
  ) {}

  /** A new session for a user who proved who they are; its secret is for the cookie and is stored only hashed. */
  async start(userId: string, { ip, userAgent, replacing }: SessionStart): Promise<{ session: Session; secret: string }> {
    const secret = newSecret(SESSION_PREFIX);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.policy.absoluteSeconds * 1000);
    const create = this.prisma.session.create({
      data: { userId, tokenHash: hashSecret(secret), ip, userAgent: userAgent?.slice(0, 500) ?? null, createdAt: now, lastSeenAt: now, expiresAt },
    });
    if (!replacing) return { session: await create, secret };
    const [, session] = await this.prisma.$transaction([
      this.prisma.session.updateMany({ where: { id: replacing, revokedAt: null }, data: { revokedAt: now } }),
      create,
    ]);
    return { session, secret };
  }

  /** The user's sessions that are still open (not ended, not timed out), most recently used first. */
  async open(userId: string): Promise<Session[]> {
    const now = new Date();
    const sessions = await this.prisma.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { lastSeenAt: 'desc' },
    });
    return sessions.filter((session) => !sessionTimedOut(session, this.policy, now));
  }

  /** Ends one of the user's own sessions; another user's session is "not found", like one that does not exist. */
  async revoke(userId: string, sessionId: string): Promise<Session> {
    const session = await this.prisma.session.findFirst({ where: { id: sessionId, userId } }).catch(() => null);
    if (!session) throw new NotFoundError('session', sessionId);
    if (session.revokedAt) return session;
    return this.prisma.session.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
  }

  /**
   * Ends every session of the user, the calling one included. API tokens stay valid unless `revokeApiTokens` says
   * otherwise: they are for integrations, which a browser sign-out should not break.
   */
  async signOutEverywhere(userId: string, { revokeApiTokens }: { revokeApiTokens: boolean }): Promise<{ sessions: number; apiTokens: number }> {
    const now = new Date();
    const endSessions = this.prisma.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    if (!revokeApiTokens) return { sessions: (await endSessions).count, apiTokens: 0 };
    const [sessions, apiTokens] = await this.prisma.$transaction([
      endSessions,
      this.prisma.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } }),
    ]);
    return { sessions: sessions.count, apiTokens: apiTokens.count };
  }
}
