// TOTP two-factor sign-in for local accounts (RFC 6238: 6 digits, 30-second steps, SHA-1, as every authenticator
// app reads them), computed by the otpauth library. Enrolment stores a new secret and shows it once, as text and as
// an otpauth:// URI (the QR code); a code from the app confirms it, and only then is two-factor on, with ten
// single-use recovery codes shown once and stored as SHA-256 hashes. A code is accepted once (the last accepted
// time step is kept), one step either side of now. Code guesses are limited per account and per address in the
// database (db/rate-limits.ts): past the limit every guess is refused until the window ends, so a code cannot be
// found by trying. The secret is never logged, and never returned after enrolment.
import crypto from 'node:crypto';
import type pg from 'pg';
import { Secret, TOTP } from 'otpauth';
import type { PrismaClient, User } from '../../db/prisma.js';
import { createRateLimiter, hashedKey, isRateLimited, type RateLimiter } from '../../db/rate-limits.js';
import { ConflictError, ValidationError } from '../errors.js';
import { hashSecret } from './secrets.js';
import { SignInThrottledError } from './sign-in-limits.js';

const ISSUER = 'Sundial';
const PERIOD_SECONDS = 30;
/** Codes one step before or after now are accepted too (clocks drift, people type slowly). */
const WINDOW_STEPS = 1;
const RECOVERY_CODES = 10;
/** Wrong codes at one account in a window before every further guess is refused until the window ends. */
export const TWO_FACTOR_ATTEMPTS_PER_ACCOUNT = 5;
export const TWO_FACTOR_WINDOW_SECONDS = 15 * 60;

export interface TwoFactorSettings {
  sign_in_attempts_per_address: number;
}

/** What enrolment shows once: the secret as text and as the URI an authenticator app reads from a QR code. */
export interface TwoFactorEnrolment {
  secret: string;
  uri: string;
}

function totpFor(user: { email: string }, secret: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: user.email, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
function normalRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/** Ten random codes like `3f9a-c1d2-77e0` (48 bits each). */
function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODES }, () => crypto.randomBytes(6).toString('hex').replace(/(.{4})(?=.)/g, '$1-'));
}

export class TwoFactor {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(
    private readonly prisma: PrismaClient,
    pool: pg.Pool,
    settings: TwoFactorSettings,
  ) {
    this.perAccount = createRateLimiter(pool, { name: 'two-factor-account', points: TWO_FACTOR_ATTEMPTS_PER_ACCOUNT, durationSeconds: TWO_FACTOR_WINDOW_SECONDS });
    this.perAddress = createRateLimiter(pool, { name: 'two-factor-address', points: settings.sign_in_attempts_per_address, durationSeconds: TWO_FACTOR_WINDOW_SECONDS });
  }

  /** A new secret for the user (replacing one not yet confirmed); two-factor is not on until `confirm`. */
  async begin(user: User): Promise<TwoFactorEnrolment> {
    if (!user.passwordHash) throw new ValidationError([{ field: 'user', message: 'two-factor sign-in is for accounts that sign in with a password' }]);
    if (user.totpEnabledAt) throw new ConflictError('two-factor sign-in is already on; turn it off first to enrol again');
    const secret = new Secret({ size: 20 }).base32;
    await this.prisma.user.update({ where: { id: user.id }, data: { totpSecret: secret, totpLastStep: null } });
    return { secret, uri: totpFor(user, secret).toString() };
  }

  /** Turns two-factor on with a code from the app; returns the recovery codes, shown this once. */
  async confirm(user: User, code: string, ip: string | null): Promise<string[]> {
    if (user.totpEnabledAt) throw new ConflictError('two-factor sign-in is already on');
    if (!user.totpSecret) throw new ValidationError([{ field: 'oneTimeCode', message: 'start enrolment first: there is no secret to confirm' }]);
    await this.admit(user, ip);
    const step = this.acceptedStep(user, user.totpSecret, code);
    if (step === null) throw new ValidationError([{ field: 'oneTimeCode', message: 'is not the current code of your authenticator app' }]);
    await this.perAccount.delete(hashedKey(user.id));
    const codes = newRecoveryCodes();
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date(), totpLastStep: step } }),
      this.prisma.recoveryCode.deleteMany({ where: { userId: user.id } }),
      this.prisma.recoveryCode.createMany({ data: codes.map((recovery) => ({ userId: user.id, codeHash: hashSecret(normalRecoveryCode(recovery)) })) }),
    ]);
    return codes;
  }

  /**
   * Checks a second factor: a current code from the app (accepted once), or an unused recovery code (used up by
   * this). Every guess counts against the limits first; throws SignInThrottledError past them.
   */
  async check(user: User, code: string, ip: string | null): Promise<'totp' | 'recovery' | null> {
    if (!user.totpEnabledAt || !user.totpSecret) return null;
    await this.admit(user, ip);
    const typed = code.trim();
    let used: 'totp' | 'recovery' | null = null;
    if (/^\d{6}$/.test(typed)) {
      const step = this.acceptedStep(user, user.totpSecret, typed);
      // Only a step after the last accepted one counts, written only if still after it: each code works once.
      if (step !== null) {
        const { count } = await this.prisma.user.updateMany({
          where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
          data: { totpLastStep: step },
        });
        if (count === 1) used = 'totp';
      }
    } else {
      const { count } = await this.prisma.recoveryCode.updateMany({
        where: { userId: user.id, codeHash: hashSecret(normalRecoveryCode(typed)), usedAt: null },
        data: { usedAt: new Date() },
      });
      if (count === 1) used = 'recovery';
    }
    if (used) await this.perAccount.delete(hashedKey(user.id));
    return used;
  }

  /** Turns two-factor off: the secret and the recovery codes are deleted. The caller checked password and code. */
  async disable(userId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } }),
      this.prisma.recoveryCode.deleteMany({ where: { userId } }),
    ]);
  }

  /** How many of the user's recovery codes are still unused. */
  recoveryCodesLeft(userId: string): Promise<number> {
    return this.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  /** The time step a 6-digit code is for, if it is one of the accepted steps and after the last one accepted. */
  private acceptedStep(user: User, secret: string, code: string): number | null {
    const token = code.trim();
    if (!/^\d{6}$/.test(token)) return null;
    const delta = totpFor(user, secret).validate({ token, window: WINDOW_STEPS });
    if (delta === null) return null;
    const step = Math.floor(Date.now() / 1000 / PERIOD_SECONDS) + delta;
    return user.totpLastStep !== null && BigInt(step) <= user.totpLastStep ? null : step;
  }

  /** Counts one code guess at the account and from the address; refuses it when either is over its limit. */
  private async admit(user: User, ip: string | null): Promise<void> {
    try {
      await this.perAddress.consume(ip ?? 'unknown');
      await this.perAccount.consume(hashedKey(user.id));
    } catch (rejection) {
      if (isRateLimited(rejection)) throw new SignInThrottledError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      throw rejection;
    }
  }
}
