// Passwords are hashed with argon2id (memory-hard), from @node-rs/argon2's prebuilt binaries.
import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../errors.js';

export const PASSWORD_RULES = { min: 10, max: 256 } as const;

export function passwordProblems(password: string, field = 'password'): FieldError[] {
  if (password.length < PASSWORD_RULES.min) return [{ field, message: `must be at least ${PASSWORD_RULES.min} characters` }];
  if (password.length > PASSWORD_RULES.max) return [{ field, message: `must be at most ${PASSWORD_RULES.max} characters` }];
  return [];
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
