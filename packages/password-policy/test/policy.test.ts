// The password rule on its own: what the server refuses and the web forms warn about.
import { beforeAll, describe, expect, it } from 'vitest';
import { judgePassword, ownerParts, preloadPasswordPolicy } from '../src/index.js';

describe('judgePassword', () => {
  // Building the estimator's ranked lists takes about a second on an idle machine, more on a busy one.
  beforeAll(() => preloadPasswordPolicy(), 60_000);

  it('refuses common and patterned passwords with the estimator’s feedback and what would be accepted', async () => {
    for (const password of ['password123', 'qwertyuiop', 'aaaaaaaaaaaa', '1234567890', 'Password2026!']) {
      const verdict = await judgePassword(password);
      expect(verdict.accepted, password).toBe(false);
      expect(verdict.problem, password).toMatch(/^is too easy to guess: .+ Accepted: /);
    }
  });

  it('refuses what is too short or too long before estimating', async () => {
    expect(await judgePassword('x7#Qm!2')).toEqual({ accepted: false, problem: 'must be at least 10 characters', score: null });
    expect((await judgePassword('a'.repeat(257))).problem).toBe('must be at most 256 characters');
  });

  it('refuses a password containing the e-mail, its local part, the name or a word of it, in any case', async () => {
    const owner = { email: 'j.doe@example.com', name: 'Jordan Quincey-Doe' };
    for (const password of ['j.doe@example.com', 'J.DOE-violet-anchor', 'violet QUINCEY anchor 9', 'jordan violet anchor 9']) {
      expect((await judgePassword(password, owner)).problem, password).toBe('must not contain the e-mail address or the name of its user');
    }
    expect(ownerParts(owner)).toEqual(['j.doe@example.com', 'j.doe', 'jordan quincey-doe', 'jordan', 'quincey', 'doe']);
  });

  it('accepts passphrases and random passwords', async () => {
    for (const password of ['violet anchor drizzle 47', 'correct horse battery staple', '3t_YvCTKSjvd11jj']) {
      expect(await judgePassword(password, { email: 'someone@example.com', name: 'Some One' }), password).toMatchObject({ accepted: true, problem: null });
    }
  });
});
