// A job's targets and notified users and roles as chosen: which chosen ids name no user or role. The users a run is
// for are read by the engine (engine/targets.ts).
import type { Prisma } from '../db/prisma.js';
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
