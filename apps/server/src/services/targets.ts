// Targets = chosen users ∪ active members of chosen roles, deduplicated, active users only (Kamihi's semantics).
import type { Prisma, PrismaClient } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { selectJobTargetUsers } from '../db/sql/targets/job-target-users.js';
import type { ActionUser } from './action-catalog.js';
import { isUuid } from './ids.js';

export interface TargetSelection {
  userIds: string[];
  roleIds: string[];
}

/**
 * Which of the given user and role ids name no user or role (a malformed id names none), each in the order given.
 * The two reads go one after the other: inside a definitions transaction they share one connection.
 */
export async function missingUsersAndRoles(prisma: Pick<Prisma.TransactionClient, 'user' | 'role'>, { userIds, roleIds }: TargetSelection): Promise<{ users: string[]; roles: string[] }> {
  const users = await prisma.user.findMany({ where: { id: { in: userIds.filter(isUuid) } }, select: { id: true } });
  const roles = await prisma.role.findMany({ where: { id: { in: roleIds.filter(isUuid) } }, select: { id: true } });
  const foundUsers = new Set(users.map((user) => user.id));
  const foundRoles = new Set(roles.map((role) => role.id));
  return { users: userIds.filter((id) => !foundUsers.has(id)), roles: roleIds.filter((id) => !foundRoles.has(id)) };
}

function targetWhere({ userIds, roleIds }: TargetSelection): Prisma.UserWhereInput {
  return {
    active: true,
    OR: [{ id: { in: userIds } }, { roles: { some: { roleId: { in: roleIds } } } }],
  };
}

const actionUserSelect = { id: true, email: true, name: true, attributes: true } as const;

function toActionUser(user: { id: string; email: string; name: string; attributes: Prisma.JsonValue }): ActionUser {
  const attributes =
    user.attributes && typeof user.attributes === 'object' && !Array.isArray(user.attributes)
      ? (user.attributes as Record<string, unknown>)
      : {};
  return { id: user.id, email: user.email, name: user.name, attributes };
}

/** Every target user, ordered by id. For per-user fan-out use targetUserIdPages, which stays bounded in memory. */
export async function resolveTargets(prisma: PrismaClient, selection: TargetSelection): Promise<ActionUser[]> {
  if (selection.userIds.length === 0 && selection.roleIds.length === 0) return [];
  const users = await prisma.user.findMany({ where: targetWhere(selection), select: actionUserSelect, orderBy: { id: 'asc' } });
  return users.map(toActionUser);
}

/**
 * A job's target users as stored with the job (its chosen users and roles), read in one query: the same users as
 * resolveTargets over the job's selection, without first reading the selection (three queries per run before).
 * The ids come from a UNION the primary keys answer, so a job without targets costs two index probes, not a scan
 * of the users table.
 */
export async function resolveJobTargets(prisma: PrismaClient, jobId: string): Promise<ActionUser[]> {
  const users = await selectJobTargetUsers(prismaSql(prisma), jobId);
  return users.map(toActionUser);
}

/** Target user ids in pages of pageSize, by id (keyset pagination). */
export async function* targetUserIdPages(
  prisma: PrismaClient,
  selection: TargetSelection,
  pageSize = 1000,
): AsyncGenerator<string[]> {
  if (selection.userIds.length === 0 && selection.roleIds.length === 0) return;
  let after: string | undefined;
  for (;;) {
    const page = await prisma.user.findMany({
      where: { ...targetWhere(selection), ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    if (page.length === 0) return;
    yield page.map((user) => user.id);
    after = page[page.length - 1]!.id;
    if (page.length < pageSize) return;
  }
}

export async function loadActionUsers(prisma: PrismaClient, ids: string[]): Promise<Map<string, ActionUser>> {
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: actionUserSelect });
  return new Map(users.map((user) => [user.id, toActionUser(user)]));
}
