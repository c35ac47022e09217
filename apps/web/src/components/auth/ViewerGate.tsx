// The signed-in part of the app: asks the server who is calling, sends anyone signed out to the sign-in page
// (remembering where they were going), sends an admin who must turn on two-factor to the account page, and gives
// the pages the viewer's permissions.
import { useEffect, useMemo, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ViewerGateQueryQuery } from '../../gql/graphql';
import { describeError } from '../../lib/errors';
import { useSession } from '../../lib/session';
import { ViewerContext, type ViewerInfo } from '../../lib/viewer';
import { ErrorState } from '../ui/ErrorState';
import { Skeleton } from '../ui/Skeleton';

const ViewerGateQuery = graphql(`
  query ViewerGateQuery {
    viewer {
      userId
      permissions
      via
      mustEnrolTwoFactor
      ...AppShell_ViewerFragment
    }
  }
`);

export type GateViewer = NonNullable<ViewerGateQueryQuery['viewer']>;

export function ViewerGate({ children }: { children: (viewer: GateViewer) => ReactNode }) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ViewerGateQuery });
  const { authChecks } = useSession();
  const location = useLocation();

  // The server refused something for who we are: ask again (the session may have ended elsewhere).
  useEffect(() => {
    if (authChecks > 0) reexecute({ requestPolicy: 'network-only' });
  }, [authChecks, reexecute]);

  const viewer = data?.viewer;
  const info = useMemo<ViewerInfo | null>(
    () => (viewer ? { userId: viewer.userId, permissions: new Set(viewer.permissions), viaSession: viewer.via === 'session' } : null),
    [viewer],
  );

  if (error && !data) {
    return (
      <div className="mx-auto max-w-lg pt-24">
        <ErrorState
          title="Cannot reach the Sundial server"
          message={describeError(error)}
          onRetry={() => reexecute({ requestPolicy: 'network-only' })}
          retrying={fetching}
        />
      </div>
    );
  }
  if (!data) return <AppLoading />;
  if (!viewer || !info) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  // An admin who must have two-factor on (auth.require_totp_for_admins) can do nothing else until it is.
  if (viewer.mustEnrolTwoFactor && location.pathname !== '/account') return <Navigate to="/account" replace />;
  return <ViewerContext value={info}>{children(viewer)}</ViewerContext>;
}

function AppLoading() {
  return (
    <div role="status" aria-label="Loading Sundial" className="flex min-h-screen flex-col">
      <div className="flex h-14 items-center gap-3 border-b border-stone-200 px-5 dark:border-stone-800">
        <Skeleton className="size-7 rounded-lg" />
        <Skeleton className="h-4 w-24 rounded" />
      </div>
      <div className="flex flex-1">
        <div className="hidden w-56 flex-col gap-3 border-r border-stone-200 p-4 lg:flex dark:border-stone-800">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-7 rounded-md" />
          ))}
        </div>
        <div className="flex-1 p-8">
          <Skeleton className="mb-6 h-7 w-48 rounded-md" />
          <Skeleton className="h-64 rounded-2xl" />
        </div>
      </div>
    </div>
  );
}
