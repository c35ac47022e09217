// How many password guesses an account and an address get, following OWASP's authentication cheat sheet: limits
// slow guessing down instead of locking the account, so nobody can keep its owner out by failing on purpose.
// - Per address: failed guesses from one client address, at all accounts (password spraying), in 15 minutes; past
//   the limit that address is refused until the window ends. Other addresses are not affected.
// - Per account: failed guesses at one account from every address (a guessing botnet), in 15 minutes; past the
//   limit each further guess must wait — 1 s, then twice as long each time, up to a maximum — and the owner is told
//   once. An address the account signed in from in the last 30 days is not slowed down, so its owner gets in.
// A correct password clears the account's count; an admin can clear it too. Counts live in the database
// (db/rate-limits.ts): shared by every process, kept across restarts.
import type pg from 'pg';
import type { PrismaClient } from '../../db/prisma.js';
import { createRateLimiter, hashedKey, isRateLimited, type RateLimiter } from '../../db/rate-limits.js';
import type { Logger } from '../../lib/logger.js';

export interface SignInLimitSettings {
  sign_in_attempts_per_account: number;
  sign_in_attempts_per_address: number;
  sign_in_max_delay_seconds: number;
}

export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
/** How long an address the account signed in from is trusted not to be the one guessing. */
const KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600;

/** The caller must wait this long before the next guess (the account or the address is over its limit). */
export class SignInThrottledError extends Error {
  override name = 'SignInThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many sign-in attempts; try again in ${retryAfterSeconds} s`);
  }
}

/** Told to the account's owner when its failures first pass the per-account limit in a window. */
export type OwnerAlert = (alert: { email: string; failures: number; ip: string | null; delaySeconds: number }) => Promise<void>;

export interface AccountThrottle {
  /** Failed guesses at the account in the current window. */
  failedAttempts: number;
  /** Seconds until an address it never signed in from may guess again; 0 when it may now. */
  retryAfterSeconds: number;
}

function retryAfter(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

export class SignInLimits {
  private readonly perAddress: RateLimiter;
  private readonly accountFailures: RateLimiter;
  /** One point per delay: the guess that takes it goes ahead, the others wait for the delay to pass. */
  private readonly accountGate: RateLimiter;
  private readonly knownAddresses: RateLimiter;

  constructor(
    private readonly prisma: PrismaClient,
    pool: pg.Pool,
    private readonly settings: SignInLimitSettings,
    private readonly alert: OwnerAlert,
    private readonly logger: Logger | null,
  ) {
    this.perAddress = createRateLimiter(pool, { name: 'sign-in-address', points: settings.sign_in_attempts_per_address, durationSeconds: SIGN_IN_WINDOW_SECONDS });
    this.accountFailures = createRateLimiter(pool, { name: 'sign-in-account', points: settings.sign_in_attempts_per_account, durationSeconds: SIGN_IN_WINDOW_SECONDS });
    this.accountGate = createRateLimiter(pool, { name: 'sign-in-account-gate', points: 1, durationSeconds: 1 });
    this.knownAddresses = createRateLimiter(pool, { name: 'sign-in-known', points: 1, durationSeconds: KNOWN_ADDRESS_SECONDS });
  }

  /**
   * Counts one guess at `email` from `ip` before its password is checked; throws SignInThrottledError when it must
   * wait. The guess counts as failed until `succeeded` says otherwise.
   */
  async admit(email: string, ip: string | null): Promise<void> {
    const address = ip ?? 'unknown';
    const account = hashedKey(email);
    try {
      await this.perAddress.consume(address);
    } catch (rejection) {
      if (isRateLimited(rejection)) throw new SignInThrottledError(retryAfter(rejection.msBeforeNext));
      throw rejection;
    }
    const [failures, known] = await Promise.all([
      this.accountFailures.penalty(account, 1),
      this.knownAddresses.get(hashedKey(`${email}\n${address}`)),
    ]);
    const over = failures.consumedPoints - this.settings.sign_in_attempts_per_account;
    if (over <= 0) return;
    const delaySeconds = Math.min(2 ** (over - 1), this.settings.sign_in_max_delay_seconds);
    if (over === 1) {
      await this.alert({ email, failures: failures.consumedPoints - 1, ip, delaySeconds: this.settings.sign_in_max_delay_seconds }).catch(
        (error: unknown) => this.logger?.error(`auth: could not tell an account's owner about failed sign-ins: ${(error as Error).message}`),
      );
    }
    if (known) return;
    try {
      await this.accountGate.consume(account, 1, { customDuration: delaySeconds });
    } catch (rejection) {
      if (isRateLimited(rejection)) throw new SignInThrottledError(retryAfter(rejection.msBeforeNext));
      throw rejection;
    }
  }

  /** The password was right: the account's count is cleared, the address gets its point back and becomes known. */
  async succeeded(email: string, ip: string | null): Promise<void> {
    const address = ip ?? 'unknown';
    const account = hashedKey(email);
    await Promise.all([
      this.accountFailures.delete(account),
      this.accountGate.delete(account),
      this.perAddress.reward(address, 1),
      this.knownAddresses.set(hashedKey(`${email}\n${address}`), 1, KNOWN_ADDRESS_SECONDS),
    ]);
  }

  /** Where each account stands (an admin's view), read for a whole page of users in one query. */
  async statuses(emails: string[]): Promise<Map<string, AccountThrottle>> {
    const keys = new Map(emails.map((email) => [email, hashedKey(email)]));
    const failureKey = (account: string) => this.accountFailures.getKey(account);
    const gateKey = (account: string) => this.accountGate.getKey(account);
    const now = Date.now();
    const rows = await this.prisma.rateLimit.findMany({
      where: { key: { in: [...keys.values()].flatMap((account) => [failureKey(account), gateKey(account)]) }, expire: { gt: now } },
    });
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return new Map(
      [...keys].map(([email, account]) => {
        const gate = byKey.get(gateKey(account));
        return [
          email,
          {
            failedAttempts: byKey.get(failureKey(account))?.points ?? 0,
            retryAfterSeconds: gate?.expire ? retryAfter(Number(gate.expire) - now) : 0,
          },
        ];
      }),
    );
  }

  /** An admin lets the account's guesses start again from zero. */
  async clear(email: string): Promise<void> {
    const account = hashedKey(email);
    await Promise.all([this.accountFailures.delete(account), this.accountGate.delete(account)]);
  }
}
