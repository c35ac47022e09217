// The rules for roles: groups of users that carry permissions and that jobs can target. The built-in roles
// (admin, operator, viewer; created by auth's bootstrap) keep their names and cannot be deleted, and no change may
// leave the install without an active user who can still manage users and roles.
import type { Permission, Prisma, Role } from '../db/prisma.js';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from './errors.js';
import { isUuid } from './ids.js';
import { inTransaction, type DbClient } from './db-client.js';

export interface RoleInput {
  name: string;
  description?: string;
  permissions?: Permission[];
}

export type RolePatch = Partial<RoleInput>;

export const ROLE_LIMITS = { name: 64, description: 1000 } as const;

const ROLE_NAME = /^[a-z0-9][a-z0-9 ._-]*$/i;

/**
 * Refuses (ConflictError) a change that leaves no active user with both USERS_MANAGE and ROLES_MANAGE: nobody
 * could repair it from the app. Called inside the transaction of the change, after it, so the change rolls back.
 */
export async function ensureSomeoneCanAdminister(tx: Prisma.TransactionClient): Promise<void> {
  const admins = await tx.user.count({
    where: {
      active: true,
      AND: [
        { roles: { some: { role: { permissions: { has: 'USERS_MANAGE' } } } } },
        { roles: { some: { role: { permissions: { has: 'ROLES_MANAGE' } } } } },
      ],
    },
  });
  if (admins === 0) {
    throw new ConflictError('this change would leave no active user who can manage users and roles; give someone else the admin role first');
  }
}

export class RoleService {
  constructor(private readonly db: DbClient) {}

  /** These rules inside the caller's transaction. */
  within(tx: Prisma.TransactionClient): RoleService {
    return new RoleService(tx);
  }

  async get(id: string): Promise<Role> {
    const role = isUuid(id) ? await this.db.role.findUnique({ where: { id } }) : null;
    if (!role) throw new NotFoundError('role', id);
    return role;
  }

  async create(input: RoleInput): Promise<Role> {
    const fields = await this.validate(input, null);
    return this.db.role.create({ data: fields });
  }

  async update(id: string, patch: RolePatch): Promise<Role> {
    const current = await this.get(id);
    if (current.builtIn && patch.name !== undefined && patch.name.trim() !== current.name) {
      throw new ValidationError([{ field: 'name', message: `"${current.name}" is a built-in role and keeps its name` }]);
    }
    const fields = await this.validate({ ...current, ...patch }, current);
    return inTransaction(this.db, async (tx) => {
      const role = await tx.role.update({ where: { id }, data: fields });
      if (patch.permissions !== undefined) await ensureSomeoneCanAdminister(tx);
      return role;
    });
  }

  async delete(id: string): Promise<Role> {
    const role = await this.get(id);
    if (role.builtIn) throw new ConflictError(`"${role.name}" is a built-in role and cannot be deleted`);
    return inTransaction(this.db, async (tx) => {
      await tx.role.delete({ where: { id } });
      await ensureSomeoneCanAdminister(tx);
      return role;
    });
  }

  /** Adds users to the role; users already in it stay, once. */
  async addMembers(roleId: string, userIds: string[]): Promise<Role> {
    const role = await this.get(roleId);
    const ids = await this.existingUsers(userIds);
    await this.db.userRole.createMany({ data: ids.map((userId) => ({ userId, roleId })), skipDuplicates: true });
    return role;
  }

  async removeMembers(roleId: string, userIds: string[]): Promise<Role> {
    const role = await this.get(roleId);
    return inTransaction(this.db, async (tx) => {
      await tx.userRole.deleteMany({ where: { roleId, userId: { in: userIds.filter((id) => isUuid(id)) } } });
      await ensureSomeoneCanAdminister(tx);
      return role;
    });
  }

  private async existingUsers(userIds: string[]): Promise<string[]> {
    const unique = [...new Set(userIds)];
    const valid = unique.filter((id) => isUuid(id));
    const found = new Set((await this.db.user.findMany({ where: { id: { in: valid } }, select: { id: true } })).map((u) => u.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new ValidationError([{ field: 'userIds', message: `no such user: ${missing.join(', ')}` }]);
    return unique;
  }

  private async validate(input: RoleInput, current: Role | null) {
    const errors: FieldError[] = [];
    const name = (input.name ?? '').trim();
    if (!name) errors.push({ field: 'name', message: 'is required' });
    else if (name.length > ROLE_LIMITS.name || !ROLE_NAME.test(name)) {
      errors.push({ field: 'name', message: `must be 1–${ROLE_LIMITS.name} letters, digits, spaces, dots, dashes or underscores` });
    } else if (name !== current?.name) {
      const taken = await this.db.role.findUnique({ where: { name }, select: { id: true } });
      if (taken) errors.push({ field: 'name', message: 'is already the name of another role' });
    }
    const description = (input.description ?? '').trim();
    if (description.length > ROLE_LIMITS.description) {
      errors.push({ field: 'description', message: `must be at most ${ROLE_LIMITS.description} characters` });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return { name, description, permissions: [...new Set(input.permissions ?? [])].sort() };
  }
}
