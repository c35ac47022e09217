// The rules for users: the people jobs target (with attributes actions read) and, with a password, who signs in.
// Hashing is auth's (auth/passwords.ts); this service only decides when a password is set or cleared.
import type { Prisma, User } from '../db/prisma.js';
import { hashPassword, passwordProblems } from './auth/passwords.js';
import { NotFoundError, ValidationError, type FieldError } from './errors.js';
import { ensureSomeoneCanAdminister } from './roles.js';
import { isUuid } from './ids.js';
import { inTransaction, type DbClient } from './db-client.js';

export interface UserInput {
  email: string;
  name: string;
  /** Free-form, read by actions (a chat id, a locale): a JSON object. */
  attributes?: Record<string, unknown>;
  active?: boolean;
  /** Lets the user sign in; null clears it (a target only, or locked out). */
  password?: string | null;
  roleIds?: string[];
}

export type UserPatch = Partial<UserInput>;

export const USER_LIMITS = { name: 200, email: 254, attributesChars: 16_384 } as const;

// Deliberately loose: the only promise is "something@somewhere"; the mail server is the real judge.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export class UserService {
  constructor(private readonly db: DbClient) {}

  /** These rules inside the caller's transaction. */
  within(tx: Prisma.TransactionClient): UserService {
    return new UserService(tx);
  }

  async get(id: string): Promise<User> {
    const user = isUuid(id) ? await this.db.user.findUnique({ where: { id } }) : null;
    if (!user) throw new NotFoundError('user', id);
    return user;
  }

  async create(input: UserInput): Promise<User> {
    const data = await this.validate(input, null);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.db.user.create({
      data: {
        ...data.fields,
        passwordHash,
        roles: { create: data.roleIds.map((roleId) => ({ roleId })) },
      },
    });
  }

  async update(id: string, patch: UserPatch): Promise<User> {
    const current = await this.get(id);
    const data = await this.validate({ email: current.email, name: current.name, ...patch }, current);
    // undefined: keep; null or '': clear (the user can no longer sign in); a value: set.
    const passwordHash =
      patch.password === undefined ? undefined : patch.password ? await hashPassword(patch.password) : null;
    return inTransaction(this.db, async (tx) => {
      if (patch.roleIds !== undefined) {
        await tx.userRole.deleteMany({ where: { userId: id, roleId: { notIn: data.roleIds } } });
        await tx.userRole.createMany({ data: data.roleIds.map((roleId) => ({ userId: id, roleId })), skipDuplicates: true });
      }
      const user = await tx.user.update({
        where: { id },
        data: {
          ...(patch.email !== undefined ? { email: data.fields.email } : {}),
          ...(patch.name !== undefined ? { name: data.fields.name } : {}),
          ...(patch.attributes !== undefined ? { attributes: data.fields.attributes } : {}),
          ...(patch.active !== undefined ? { active: data.fields.active } : {}),
          ...(passwordHash !== undefined ? { passwordHash } : {}),
        },
      });
      if (patch.roleIds !== undefined || patch.active === false) await ensureSomeoneCanAdminister(tx);
      return user;
    });
  }

  /** Deactivated users are no target and cannot sign in; their tokens stop working. History stays. */
  setActive(id: string, active: boolean): Promise<User> {
    return this.update(id, { active });
  }

  async delete(id: string): Promise<User> {
    const user = await this.get(id);
    return inTransaction(this.db, async (tx) => {
      await tx.user.delete({ where: { id } });
      await ensureSomeoneCanAdminister(tx);
      return user;
    });
  }

  private async validate(input: UserInput, current: User | null) {
    const errors: FieldError[] = [];
    const email = (input.email ?? '').trim().toLowerCase();
    if (!email) errors.push({ field: 'email', message: 'is required' });
    else if (email.length > USER_LIMITS.email || !EMAIL.test(email)) errors.push({ field: 'email', message: 'must be an e-mail address' });
    else if (email !== current?.email) {
      const taken = await this.db.user.findUnique({ where: { email }, select: { id: true } });
      if (taken) errors.push({ field: 'email', message: 'is already used by another user' });
    }
    const name = (input.name ?? '').trim();
    if (!name) errors.push({ field: 'name', message: 'is required' });
    else if (name.length > USER_LIMITS.name) errors.push({ field: 'name', message: `must be at most ${USER_LIMITS.name} characters` });

    const attributes = input.attributes ?? (current?.attributes as Record<string, unknown> | undefined) ?? {};
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      errors.push({ field: 'attributes', message: 'must be a JSON object, e.g. {"locale": "es"}' });
    } else if (JSON.stringify(attributes).length > USER_LIMITS.attributesChars) {
      errors.push({ field: 'attributes', message: `must be at most ${USER_LIMITS.attributesChars} characters of JSON` });
    }
    if (input.password) errors.push(...(await passwordProblems(input.password, { email, name }, 'password')));

    const roleIds = [...new Set(input.roleIds ?? [])];
    if (roleIds.length > 0) {
      const valid = roleIds.filter((roleId) => isUuid(roleId));
      const found = new Set((await this.db.role.findMany({ where: { id: { in: valid } }, select: { id: true } })).map((role) => role.id));
      const missing = roleIds.filter((roleId) => !found.has(roleId));
      if (missing.length > 0) errors.push({ field: 'roleIds', message: `no such role: ${missing.join(', ')}` });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return {
      fields: { email, name, attributes: attributes as Prisma.InputJsonObject, active: input.active ?? current?.active ?? true },
      roleIds,
    };
  }
}
