// The built-in roles and what they may do. Custom roles pick any set of permissions.
import type { Permission } from '../../db/prisma.js';

export const ALL_PERMISSIONS = [
  'JOBS_READ',
  'JOBS_WRITE',
  'RUNS_EXECUTE',
  'USERS_MANAGE',
  'ROLES_MANAGE',
  'TOKENS_MANAGE',
  'AUDIT_READ',
] as const satisfies readonly Permission[];

export const BUILT_IN_ROLES: readonly { name: string; description: string; permissions: readonly Permission[] }[] = [
  { name: 'admin', description: 'Everything: users, roles, API tokens, jobs and runs.', permissions: ALL_PERMISSIONS },
  { name: 'operator', description: 'Creates and edits jobs, runs and cancels them.', permissions: ['JOBS_READ', 'JOBS_WRITE', 'RUNS_EXECUTE'] },
  { name: 'viewer', description: 'Sees jobs, runs and logs.', permissions: ['JOBS_READ'] },
];
