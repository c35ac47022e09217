// The users a run is for, as its action sees them: a job's targets (chosen users ∪ active members of chosen roles,
// deduplicated, active users only: Kamihi's semantics) and per-user children's users by id.
import type { Prisma, PrismaClient } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { selectJobTargetUsers } from '../db/sql/targets/job-target-users.js';
import type { ActionUser } from './actions.js';

const actionUserSelect = { id: true, email: true, name: true, attributes: true } as const;

function toActionUser(user: { id: string; email: string; name: string; attributes: Prisma.JsonValue }): ActionUser {
  const attributes =
    user.attributes && typeof user.attributes === 'object' && !Array.isArray(user.attributes)
      ? (user.attributes as Record<string, unknown>)
      : {};
  return { id: user.id, email: user.email, name: user.name, attributes };
}

/**
 * A job's target users as stored with the job (its chosen users and roles), read in one query. The ids come from a
 * UNION the primary keys answer, so a job without targets costs two index probes, not a scan of the users table.
 */
export async function resolveJobTargets(prisma: PrismaClient, jobId: string): Promise<ActionUser[]> {
  const users = await selectJobTargetUsers(prismaSql(prisma), jobId);
  return users.map(toActionUser);
}

/** Per-user children's users, by id. */
export async function loadActionUsers(prisma: PrismaClient, ids: string[]): Promise<Map<string, ActionUser>> {
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: actionUserSelect });
  return new Map(users.map((user) => [user.id, toActionUser(user)]));
}
