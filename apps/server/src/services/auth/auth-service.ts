// Signing in and out, passwords, API tokens, and the first admin. Secrets are returned once and never stored.
import crypto from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ApiToken, PrismaClient } from '../../db/prisma.js';
import type { Logger } from '../../lib/logger.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { SESSION_PREFIX, TOKEN_PREFIX, type Identity } from './identity.js';
import { burnPasswordCheck, hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import { BUILT_IN_ROLES } from './permissions.js';
import { hashSecret, newSecret } from './secrets.js';

/** Bad credentials and throttling look the same to the caller: nothing to learn about which accounts exist. */
export class SignInError extends Error {
  override name = 'SignInError';
  constructor(readonly retryAfterSeconds: number | null = null) {
    super(retryAfterSeconds ? `too many sign-in attempts; try again in ${retryAfterSeconds} s` : 'wrong e-mail or password');
  }
}

export interface AuthSettings {
  admin_email: string;
  admin_password: string;
  session_ttl_hours: number;
  sign_in_attempts_per_account: number;
  sign_in_attempts_per_address: number;
}

const WINDOW_SECONDS = 15 * 60;

export class AuthService {
  private readonly perAccount: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly settings: AuthSettings,
  ) {
    this.perAccount = new RateLimiterMemory({ points: settings.sign_in_attempts_per_account, duration: WINDOW_SECONDS });
    this.perAddress = new RateLimiterMemory({ points: settings.sign_in_attempts_per_address, duration: WINDOW_SECONDS });
  }

  /** Creates a session for valid credentials. Every attempt counts against the account and the address. */
  async signIn(email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
    const account = email.trim().toLowerCase();
    await this.consumeAttempt(account, meta.ip);
    const user = await this.prisma.user.findUnique({ where: { email: account } });
    if (!user || !user.passwordHash || !user.active) {
      await burnPasswordCheck(password);
      throw new SignInError();
    }
    if (!(await verifyPassword(user.passwordHash, password))) throw new SignInError();
    await this.perAccount.delete(account);
    const secret = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + this.settings.session_ttl_hours * 3600 * 1000);
    const session = await this.prisma.session.create({
      data: { userId: user.id, tokenHash: hashSecret(secret), ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null, expiresAt },
    });
    await this.prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    return { session, secret, user };
  }

  async signOut(identity: Identity): Promise<void> {
    if (identity.via.kind !== 'session') return;
    await this.prisma.session.updateMany({ where: { id: identity.via.sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Counts one password guess against the account and the address; throws SignInError when over either limit. */
  private async consumeAttempt(account: string, ip: string | null): Promise<void> {
    try {
      await Promise.all([this.perAccount.consume(account), this.perAddress.consume(ip ?? 'unknown')]);
    } catch (rejection) {
      const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? WINDOW_SECONDS * 1000;
      throw new SignInError(Math.ceil(ms / 1000));
    }
  }

  /**
   * Changes the caller's password and signs out their other sessions. `currentPassword` is a password guess like a
   * sign-in (a stolen token or session could otherwise try passwords at will): it counts against the same limits.
   */
  async changePassword(identity: Identity, currentPassword: string, newPassword: string, meta: { ip: string | null }): Promise<void> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: identity.userId } });
    await this.consumeAttempt(user.email, meta.ip);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new ValidationError([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    await this.perAccount.delete(user.email);
    const problems = passwordProblems(newPassword, 'newPassword');
    if (problems.length > 0) throw new ValidationError(problems);
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } }),
      this.prisma.session.updateMany({
        where: { userId: user.id, revokedAt: null, ...(identity.via.kind === 'session' ? { id: { not: identity.via.sessionId } } : {}) },
        data: { revokedAt: new Date() },
      }),
    ]);
  }

  /** A new API token for a user; the secret is in the result and nowhere else. */
  async createApiToken(userId: string, input: { name: string; expiresAt?: Date | null }): Promise<{ token: ApiToken; secret: string }> {
    const name = input.name.trim();
    const errors = [];
    if (!name || name.length > 100) errors.push({ field: 'name', message: 'must be 1 to 100 characters' });
    if (input.expiresAt && input.expiresAt <= new Date()) errors.push({ field: 'expiresAt', message: 'must be in the future' });
    if (errors.length > 0) throw new ValidationError(errors);
    // An unknown owner is "not found", not a foreign-key failure (found by security-fuzz.test.ts).
    const owner = await this.prisma.user.findUnique({ where: { id: userId }, select: { id: true } }).catch(() => null);
    if (!owner) throw new NotFoundError('user', userId);
    const secret = newSecret(TOKEN_PREFIX);
    const token = await this.prisma.apiToken.create({
      data: { userId, name, prefix: secret.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashSecret(secret), expiresAt: input.expiresAt ?? null },
    });
    return { token, secret };
  }

  async revokeApiToken(id: string): Promise<ApiToken> {
    const token = await this.prisma.apiToken.findUnique({ where: { id } }).catch(() => null);
    if (!token) throw new NotFoundError('token', id);
    if (token.revokedAt) throw new ConflictError('this token is already revoked');
    return this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  }

  /**
   * First start: the built-in roles, and an admin from auth.admin_email / auth.admin_password — or, with no password
   * configured, a generated one printed once. Later starts change nothing.
   */
  async bootstrap(logger: Logger): Promise<void> {
    for (const role of BUILT_IN_ROLES) {
      await this.prisma.role.upsert({
        where: { name: role.name },
        create: { name: role.name, description: role.description, permissions: [...role.permissions], builtIn: true },
        update: { builtIn: true },
      });
    }
    const admins = await this.prisma.user.findMany({
      where: { passwordHash: { not: null }, roles: { some: { role: { name: 'admin' } } } },
      select: { email: true },
      orderBy: { createdAt: 'asc' },
      take: 4,
    });
    if (admins.length > 0) {
      // Says who can sign in, so a newcomer restarting the server knows which account the printed password was for.
      const named = admins.slice(0, 3).map((admin) => admin.email).join(', ');
      logger.info(`auth: admin account(s): ${named}${admins.length > 3 ? ', …' : ''}`);
      return;
    }
    const email = this.settings.admin_email.trim().toLowerCase();
    const generated = !this.settings.admin_password;
    const password = this.settings.admin_password || crypto.randomBytes(12).toString('base64url');
    const problems = passwordProblems(password, 'auth.admin_password');
    if (problems.length > 0) throw new ValidationError(problems);
    const admin = await this.prisma.user.upsert({
      where: { email },
      create: { email, name: 'Administrator', passwordHash: await hashPassword(password) },
      update: { passwordHash: await hashPassword(password), active: true },
    });
    const role = await this.prisma.role.findUniqueOrThrow({ where: { name: 'admin' } });
    await this.prisma.userRole.upsert({
      where: { userId_roleId: { userId: admin.id, roleId: role.id } },
      create: { userId: admin.id, roleId: role.id },
      update: {},
    });
    if (generated) {
      // Printed once, on the console only (never in a log file's structured data): this is how the first admin signs in.
      process.stdout.write(
        `\n  First admin created: ${email}\n  Password: ${password}\n  (shown once; change it after signing in, or set auth.admin_password)\n\n`,
      );
    } else {
      logger.info(`auth: first admin ${email} created from the configuration`);
    }
  }
}
