// Who is signed in and what the server lets them do. The permission list is the server's (viewer.permissions);
// the UI asks `can(...)` and never works permissions out from role names.
import { createContext, useContext } from 'react';
import type { Permission } from '../gql/graphql';
import { missingPermission } from './permissions';

export interface ViewerInfo {
  userId: string;
  permissions: ReadonlySet<Permission>;
  /** True for the signed-in user's own session ("session"); false when an API token is acting. */
  viaSession: boolean;
}

export const ViewerContext = createContext<ViewerInfo | null>(null);

export function useViewer(): ViewerInfo {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer is only available inside the signed-in app (under <ViewerGate>)');
  return viewer;
}

/** Whether the viewer holds `permission`, and if not, the reason to show. */
export function usePermission(permission: Permission): { allowed: boolean; reason: string | null } {
  const viewer = useViewer();
  const allowed = viewer.permissions.has(permission);
  return { allowed, reason: allowed ? null : missingPermission(permission) };
}
