// Which passwords Sundial accepts, written once: the server refuses by it (services/auth/passwords.ts) and the web's
// password forms give the same advice while one types. Length alone let `password123` and a user's own e-mail
// through, so a password must also be hard to guess by zxcvbn-ts (a maintained estimator that knows the common-
// password, name and word lists and keyboard, date, repeat and l33t patterns, all offline) and must not contain the
// account's e-mail or name. The estimator and its lists weigh about a megabyte: they are loaded on first use, so the
// server starts and the web's main bundle stays as they were.

export const PASSWORD_RULES = {
  minLength: 10,
  maxLength: 256,
  /** zxcvbn's score, 0–4; 3 is "safely unguessable" (about 10^10 guesses and more), its authors' advice for a minimum. */
  minScore: 3,
  /** Parts of an e-mail or name shorter than this are not looked for (an "al" inside a password is no clue). */
  ownerPartMin: 3,
} as const;

/** Whose password it is: what it must not contain, and what the estimator should count as known to an attacker. */
export interface PasswordOwner {
  email?: string | null;
  name?: string | null;
}

export interface PasswordVerdict {
  accepted: boolean;
  /** What is wrong and what would be accepted, worded for a field error ("must …", "is …"); null when accepted. */
  problem: string | null;
  /** zxcvbn's score, 0 (guessed at once) to 4; null when the length or owner rule refused it first. */
  score: 0 | 1 | 2 | 3 | 4 | null;
}

/** What would be accepted, said with every refusal for weakness. */
export const ACCEPTED_HINT =
  'Accepted: something hard to guess, such as four or more uncommon words or random characters from a password manager.';

/** Words every Sundial install knows, so an attacker tries them first. */
const PRODUCT_WORDS = ['sundial'];

type Estimator = typeof import('./estimator.js');
let estimator: Promise<Estimator> | null = null;

/** Loads the estimator and its lists now (a form may start this when it opens, before the first key). */
export function preloadPasswordPolicy(): Promise<void> {
  estimator ??= import('./estimator.js');
  return estimator.then(() => undefined);
}

/** The owner's e-mail (whole and its local part) and name (whole and each word), lower case, long enough to matter. */
export function ownerParts(owner: PasswordOwner): string[] {
  const parts = new Set<string>();
  const email = owner.email?.trim().toLowerCase() ?? '';
  if (email) {
    parts.add(email);
    parts.add(email.split('@')[0] ?? '');
  }
  const name = owner.name?.trim().toLowerCase() ?? '';
  if (name) {
    parts.add(name);
    for (const word of name.split(/[\s._-]+/)) parts.add(word);
  }
  return [...parts].filter((part) => part.length >= PASSWORD_RULES.ownerPartMin);
}

/** Judges a password for an account. Everything is checked here; nothing is sent anywhere. */
export async function judgePassword(password: string, owner: PasswordOwner = {}): Promise<PasswordVerdict> {
  if (password.length < PASSWORD_RULES.minLength) {
    return { accepted: false, problem: `must be at least ${PASSWORD_RULES.minLength} characters`, score: null };
  }
  if (password.length > PASSWORD_RULES.maxLength) {
    return { accepted: false, problem: `must be at most ${PASSWORD_RULES.maxLength} characters`, score: null };
  }
  const lower = password.toLowerCase();
  const parts = ownerParts(owner);
  if (parts.some((part) => lower.includes(part))) {
    return { accepted: false, problem: 'must not contain the e-mail address or the name of its user', score: null };
  }
  estimator ??= import('./estimator.js');
  const { estimate } = await estimator;
  const result = estimate(password, [...parts, ...PRODUCT_WORDS]);
  if (result.score >= PASSWORD_RULES.minScore) return { accepted: true, problem: null, score: result.score };
  const said = [result.warning ?? 'This is easy to guess.', ...result.suggestions].join(' ');
  return { accepted: false, problem: `is too easy to guess: ${said} ${ACCEPTED_HINT}`, score: result.score };
}
