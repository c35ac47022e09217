// Words for the server's permissions. Which permission the viewer has comes from the server (viewer.permissions);
// this file only names them and says which one a page or button needs, so the UI can explain a refusal.
import type { Permission } from '../gql/graphql';

export const PERMISSION_LABELS: Record<Permission, string> = {
  JOBS_READ: 'See jobs and runs',
  JOBS_WRITE: 'Create and edit jobs',
  RUNS_EXECUTE: 'Run and cancel jobs',
  USERS_MANAGE: 'Manage users',
  ROLES_MANAGE: 'Manage roles',
  TOKENS_MANAGE: 'Manage API tokens',
  AUDIT_READ: 'Read the audit log',
};

/** The sentence shown on a disabled button or a refused page. */
export function missingPermission(permission: Permission): string {
  return `Needs the “${PERMISSION_LABELS[permission]}” permission (${permission}); ask an admin for a role that has it.`;
}
