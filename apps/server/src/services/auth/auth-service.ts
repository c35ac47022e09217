// Signing in and out, passwords, API tokens, and the first admin. Secrets are returned once and never stored.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { ApiToken, PrismaClient } from '../../db/prisma.js';
import type { Logger } from '../../lib/logger.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { InboxService } from '../inbox.js';
import { TOKEN_PREFIX, type Identity, type SessionPolicy } from './identity.js';
import { burnPasswordCheck, hashPassword, passwordProblems, verifyPassword } from './passwords.js';
import { BUILT_IN_ROLES } from './permissions.js';
import { hashSecret, newSecret } from './secrets.js';
import { Sessions } from './sessions.js';
import { TwoFactor, type TwoFactorEnrolment } from './two-factor.js';
import { SIGN_IN_WINDOW_SECONDS, SignInLimits, type AccountThrottle, type OwnerAlert, type SignInLimitSettings } from './sign-in-limits.js';

export { SignInThrottledError, type AccountThrottle } from './sign-in-limits.js';

/** The password was right and the account has two-factor on: the code comes next, with this challenge. */
export class SecondFactorRequiredError extends Error {
  override name = 'SecondFactorRequiredError';
  constructor(readonly challenge: string) {
    super('enter the code from your authenticator app, or a recovery code');
  }
}

/** How long the second step of a sign-in may take after the password. */
const CHALLENGE_SECONDS = 5 * 60;
const CHALLENGE_PREFIX = 'sdc_';

/** Bad credentials look the same whether or not the account exists: nothing to learn about which accounts do. */
export class SignInError extends Error {
  override name = 'SignInError';
  constructor() {
    super('wrong e-mail or password');
  }
}

/** auth.local_sign_in is false: accounts sign in through single sign-on only. */
export class LocalSignInOffError extends Error {
  override name = 'LocalSignInOffError';
  constructor() {
    super('signing in with a password is turned off on this server (auth.local_sign_in); sign in with single sign-on');
  }
}

export interface AuthSettings extends SignInLimitSettings {
  admin_email: string;
  admin_password: string;
  session_idle_timeout_seconds: number;
  session_absolute_timeout_seconds: number;
  require_totp_for_admins: boolean;
  /** Password sign-in (signIn); false: single sign-on only. */
  local_sign_in: boolean;
}

/** Where a sign-in comes from, and the session it replaces (the request's cookie, if any). */
export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
  replacing?: string | null;
}

export interface AuthServiceDeps {
  prisma: PrismaClient;
  /** The pool the sign-in limits are counted on (the rate_limits table). */
  pool: pg.Pool;
  settings: AuthSettings;
  logger?: Logger | null;
}

const ADMIN_NAME = 'Administrator';

/** How many tries the first start gets at generating a password the policy accepts (one nearly always is). */
const GENERATED_PASSWORD_TRIES = 20;

export class AuthService {
  private readonly prisma: PrismaClient;
  private readonly settings: AuthSettings;
  private readonly limits: SignInLimits;
  /** Browser sessions: started at sign-in, listed, revoked, ended everywhere. */
  readonly sessions: Sessions;
  /** TOTP two-factor: enrolment, codes, recovery codes. */
  readonly twoFactor: TwoFactor;

  constructor({ prisma, pool, settings, logger = null }: AuthServiceDeps) {
    this.prisma = prisma;
    this.settings = settings;
    this.limits = new SignInLimits(prisma, pool, settings, this.alertOwner, logger);
    this.sessions = new Sessions(prisma, {
      idleSeconds: settings.session_idle_timeout_seconds,
      absoluteSeconds: settings.session_absolute_timeout_seconds,
      twoFactorForAdmins: settings.require_totp_for_admins,
    });
    this.twoFactor = new TwoFactor(prisma, pool, settings);
  }

  /** Tells an account's owner, in their inbox, that its password is being guessed. */
  private readonly alertOwner: OwnerAlert = async ({ email, failures, ip, delaySeconds }) => {
    const user = await this.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) return;
    await new InboxService(this.prisma).send(user.id, {
      subject: 'Failed sign-in attempts on your account',
      body:
        `${failures} wrong passwords were tried for ${email} within ${SIGN_IN_WINDOW_SECONDS / 60} minutes, the latest from ` +
        `${ip ?? 'an unknown address'}. Further attempts from addresses you have not signed in from are slowed down ` +
        `(up to one every ${delaySeconds} s); signing in from an address you used before is not. If this was not you, ` +
        'your password was not revealed; change it if it is used elsewhere. An admin can clear the slow-down on the Users page.',
    });
  };

  get sessionPolicy(): SessionPolicy {
    return this.sessions.policy;
  }

  /**
   * Creates a session for valid credentials, with a new secret; the session the request came with (`replacing`)
   * ends. Every attempt counts against the account and the address.
   */
  async signIn(email: string, password: string, meta: SessionMeta) {
    if (!this.settings.local_sign_in) throw new LocalSignInOffError();
    const account = email.trim().toLowerCase();
    await this.limits.admit(account, meta.ip);
    const user = await this.prisma.user.findUnique({ where: { email: account } });
    if (!user || !user.passwordHash || !user.active) {
      await burnPasswordCheck(password);
      throw new SignInError();
    }
    if (!(await verifyPassword(user.passwordHash, password))) throw new SignInError();
    if (user.totpEnabledAt) {
      // The password guess counts as failed until the code is right too.
      const challenge = newSecret(CHALLENGE_PREFIX);
      await this.prisma.signInChallenge.create({
        data: { userId: user.id, tokenHash: hashSecret(challenge), expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000) },
      });
      throw new SecondFactorRequiredError(challenge);
    }
    await this.limits.succeeded(account, meta.ip);
    return { ...(await this.openSession(user.id, meta)), user };
  }

  /**
   * A new session, with a new secret (the cookie), for a user whose identity was proven: password, password and
   * code, or single sign-on. The session the request came with (`replacing`) ends.
   */
  async openSession(userId: string, meta: SessionMeta) {
    const { session, secret } = await this.sessions.start(userId, { ip: meta.ip, userAgent: meta.userAgent, replacing: meta.replacing ?? null });
    await this.prisma.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
    return { session, secret };
  }

  /**
   * The second step of a sign-in with two-factor on: the challenge from the first step and a code (from the app, or
   * a recovery code, which is used up). A wrong code is a field error; guesses are limited (two-factor.ts).
   */
  async signInWithCode(challenge: string, code: string, meta: SessionMeta) {
    const found = await this.prisma.signInChallenge.findUnique({ where: { tokenHash: hashSecret(challenge) }, include: { user: true } });
    if (!found || found.usedAt || found.expiresAt <= new Date() || !found.user.active) {
      throw new ValidationError([{ field: 'challenge', message: 'has expired or was used; sign in with your password again' }]);
    }
    const used = await this.twoFactor.check(found.user, code, meta.ip);
    if (!used) throw new ValidationError([{ field: 'oneTimeCode', message: 'is not a current code of your authenticator app nor an unused recovery code' }]);
    const { count } = await this.prisma.signInChallenge.updateMany({ where: { id: found.id, usedAt: null }, data: { usedAt: new Date() } });
    if (count !== 1) throw new ValidationError([{ field: 'challenge', message: 'has expired or was used; sign in with your password again' }]);
    await this.limits.succeeded(found.user.email, meta.ip);
    return { ...(await this.openSession(found.user.id, meta)), user: found.user, used };
  }

  /** Starts two-factor enrolment for the caller: a new secret, shown once. */
  async beginTwoFactor(identity: Identity): Promise<TwoFactorEnrolment> {
    return this.twoFactor.begin(await this.prisma.user.findUniqueOrThrow({ where: { id: identity.userId } }));
  }

  /** Turns two-factor on with a code; the recovery codes are in the result and nowhere else. */
  async confirmTwoFactor(identity: Identity, code: string, meta: { ip: string | null }): Promise<string[]> {
    return this.twoFactor.confirm(await this.prisma.user.findUniqueOrThrow({ where: { id: identity.userId } }), code, meta.ip);
  }

  /** Turns two-factor off: needs the password (counted like a sign-in) and a code (or a recovery code). */
  async disableTwoFactor(identity: Identity, password: string, code: string, meta: { ip: string | null }): Promise<void> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: identity.userId } });
    if (!user.totpEnabledAt) throw new ConflictError('two-factor sign-in is not on');
    await this.limits.admit(user.email, meta.ip);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) {
      throw new ValidationError([{ field: 'password', message: 'is not your current password' }]);
    }
    await this.limits.succeeded(user.email, meta.ip);
    if (!(await this.twoFactor.check(user, code, meta.ip))) {
      throw new ValidationError([{ field: 'oneTimeCode', message: 'is not a current code of your authenticator app nor an unused recovery code' }]);
    }
    await this.twoFactor.disable(user.id);
  }

  async signOut(identity: Identity): Promise<void> {
    if (identity.via.kind !== 'session') return;
    await this.prisma.session.updateMany({ where: { id: identity.via.sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  /** Failed sign-ins at users' accounts, and how long a guess from a new address must wait, by e-mail. */
  signInThrottles(emails: string[]): Promise<Map<string, AccountThrottle>> {
    return this.limits.statuses(emails);
  }

  /** An admin lets a user's account be signed in to from any address at once again: its failed guesses start from zero. */
  async clearSignInThrottle(userId: string): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } }).catch(() => null);
    if (!user) throw new NotFoundError('user', userId);
    await this.limits.clear(user.email);
  }

  /**
   * Changes the caller's password and signs out their other sessions. `currentPassword` is a password guess like a
   * sign-in (a stolen token or session could otherwise try passwords at will): it counts against the same limits.
   */
  async changePassword(identity: Identity, currentPassword: string, newPassword: string, meta: { ip: string | null }): Promise<void> {
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: identity.userId } });
    await this.limits.admit(user.email, meta.ip);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new ValidationError([{ field: 'currentPassword', message: 'is not your current password' }]);
    }
    await this.limits.succeeded(user.email, meta.ip);
    const problems = await passwordProblems(newPassword, user, 'newPassword');
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
    const owner = { email, name: ADMIN_NAME };
    const password = this.settings.admin_password || (await generatePassword(owner));
    const problems = await passwordProblems(password, owner, 'auth.admin_password');
    if (problems.length > 0) throw new ValidationError(problems);
    const admin = await this.prisma.user.upsert({
      where: { email },
      create: { email, name: ADMIN_NAME, passwordHash: await hashPassword(password) },
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

/** A random password the policy accepts for the owner (16 random characters nearly always are, first time). */
async function generatePassword(owner: { email: string; name: string }): Promise<string> {
  for (let attempt = 0; attempt < GENERATED_PASSWORD_TRIES; attempt += 1) {
    const password = crypto.randomBytes(12).toString('base64url');
    if ((await passwordProblems(password, owner)).length === 0) return password;
  }
  throw new Error('could not generate a password the password policy accepts');
}
