// Which jobs a list shows: a filter (search, action, enabled, schedule kind, targets, latest run's status) as the
// Prisma condition the GraphQL connection pages and counts with.
import type { Prisma, RunStatus, ScheduleKind } from '../db/prisma.js';
import { isUuid } from './ids.js';

export interface JobFilter {
  search?: string | null;
  action?: string | null;
  enabled?: boolean | null;
  scheduleKind?: ScheduleKind | null;
  targetUserId?: string | number | null;
  roleId?: string | number | null;
  lastRunStatus?: RunStatus[] | null;
}

const NO_MATCH = '00000000-0000-0000-0000-000000000000';
const idOrNoMatch = (value: string | number) => (isUuid(String(value)) ? String(value) : NO_MATCH);

export function jobWhere(filter: JobFilter | null | undefined): Prisma.JobWhereInput {
  const and: Prisma.JobWhereInput[] = [];
  const search = filter?.search?.trim();
  if (search) and.push({ OR: [{ name: { contains: search, mode: 'insensitive' } }, { action: { contains: search, mode: 'insensitive' } }] });
  if (filter?.action) and.push({ action: filter.action });
  if (filter?.enabled != null) and.push({ enabled: filter.enabled });
  // MANUAL: no schedules; another kind: at least one schedule of it.
  if (filter?.scheduleKind === 'MANUAL') and.push({ schedules: { none: {} } });
  else if (filter?.scheduleKind) and.push({ schedules: { some: { scheduleKind: filter.scheduleKind } } });
  if (filter?.targetUserId != null) {
    const userId = idOrNoMatch(filter.targetUserId);
    and.push({ OR: [{ targetUsers: { some: { userId } } }, { targetRoles: { some: { role: { members: { some: { userId } } } } } }] });
  }
  if (filter?.roleId != null) and.push({ targetRoles: { some: { roleId: idOrNoMatch(filter.roleId) } } });
  // The latest run's status is kept on the job row (by triggers on runs): a plain column to filter on.
  if (filter?.lastRunStatus?.length) and.push({ lastRunStatus: { in: filter.lastRunStatus } });
  return and.length > 0 ? { AND: and } : {};
}
