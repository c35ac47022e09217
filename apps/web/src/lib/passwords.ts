// What the password forms say about a password while it is typed: @sundial/password-policy, the very rule the server
// refuses by, so the advice and the refusal agree. Its estimator and word lists (about a megabyte) are a chunk of
// their own, fetched when a password form opens, never with the main bundle. The server judges again on save.
import { useEffect, useState } from 'react';
import { judgePassword, PASSWORD_RULES, preloadPasswordPolicy, type PasswordOwner, type PasswordVerdict } from '@sundial/password-policy';

export { judgePassword, PASSWORD_RULES, type PasswordOwner, type PasswordVerdict };

export const PASSWORD_HELP = `At least ${PASSWORD_RULES.minLength} characters, hard to guess (several uncommon words work well), without your e-mail or name.`;

/** A refusal as a sentence about the field ("This password is too easy to guess: …"). */
export function describePasswordProblem(verdict: PasswordVerdict): string | undefined {
  return verdict.problem ? `This password ${verdict.problem}` : undefined;
}

/** How long typing must pause before the password is judged (the estimator takes a few milliseconds to tens). */
const SETTLE_MS = 200;

/** The verdict on the password as typed, null while none is known (empty, or being judged). */
export function usePasswordVerdict(password: string, owner: PasswordOwner): PasswordVerdict | null {
  const [judged, setJudged] = useState<{ password: string; email: string; name: string; verdict: PasswordVerdict } | null>(null);
  const email = owner.email ?? '';
  const name = owner.name ?? '';
  useEffect(() => {
    void preloadPasswordPolicy().catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!password) return;
    let current = true;
    const timer = setTimeout(() => {
      void judgePassword(password, { email, name }).then((verdict) => {
        if (current) setJudged({ password, email, name, verdict });
      });
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [password, email, name]);
  return judged && password && judged.password === password && judged.email === email && judged.name === name ? judged.verdict : null;
}
