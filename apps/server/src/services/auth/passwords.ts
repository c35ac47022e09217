// Passwords are hashed with argon2id (memory-hard), from @node-rs/argon2's prebuilt binaries. Which passwords are
// accepted is @sundial/password-policy's rule, shared with the web's forms so both say the same.
import { hash, verify } from '@node-rs/argon2';
import { judgePassword, type PasswordOwner } from '@sundial/password-policy';
import type { FieldError } from '../errors.js';

/** The field error for a password the policy refuses, or none. */
export async function passwordProblems(password: string, owner: PasswordOwner, field = 'password'): Promise<FieldError[]> {
  const verdict = await judgePassword(password, owner);
  return verdict.problem === null ? [] : [{ field, message: verdict.problem }];
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified when the account does not exist, so a wrong e-mail costs as much time as a wrong password.
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hash('sundial-no-such-account');
  await verifyPassword(await dummyHash, password);
}
