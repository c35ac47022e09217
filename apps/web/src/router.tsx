// Every page is its own chunk (React.lazy): the first load carries the shell, the router and the GraphQL client
// only. Signed-in pages sit under the ViewerGate; pages needing a permission say so instead of failing.
import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { createBrowserRouter, Outlet, useRouteError } from 'react-router';
import { RequirePermission } from './components/auth/RequirePermission';
import { ViewerGate } from './components/auth/ViewerGate';
import { AppShell } from './components/layout/AppShell';
import { RouteFallback } from './components/layout/RouteFallback';
import { ErrorState } from './components/ui/ErrorState';
import type { Permission } from './gql/graphql';

const SignInPage = lazy(() => import('./pages/SignInPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const StatusPage = lazy(() => import('./pages/StatusPage'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokensPage'));
const JobsPage = lazy(() => import('./pages/JobsPage'));
const JobPage = lazy(() => import('./pages/JobPage'));
const JobFormPage = lazy(() => import('./pages/JobFormPage'));
const RunsPage = lazy(() => import('./pages/RunsPage'));
const RunPage = lazy(() => import('./pages/RunPage'));
const CalendarsPage = lazy(() => import('./pages/CalendarsPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const RolesPage = lazy(() => import('./pages/RolesPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const InboxPage = lazy(() => import('./pages/InboxPage'));
const AccountPage = lazy(() => import('./pages/AccountPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

function SignedInLayout() {
  return (
    <ViewerGate>
      {(viewer) => (
        <AppShell viewer={viewer}>
          <Suspense fallback={<RouteFallback />}>
            <Outlet />
          </Suspense>
        </AppShell>
      )}
    </ViewerGate>
  );
}

function page(Page: LazyExoticComponent<ComponentType>, permission?: { needs: Permission; title: string }): ReactNode {
  return permission ? (
    <RequirePermission permission={permission.needs} title={permission.title}>
      <Page />
    </RequirePermission>
  ) : (
    <Page />
  );
}

/** A page that threw while rendering (a bug, or a chunk that failed to load after a deploy). */
function RouteError() {
  const error = useRouteError();
  return (
    <div className="mx-auto max-w-lg pt-24">
      <ErrorState
        title="This page failed"
        message={error instanceof Error ? error.message : 'Something went wrong while showing this page.'}
        onRetry={() => window.location.reload()}
      />
    </div>
  );
}

export const router = createBrowserRouter([
  {
    path: '/sign-in',
    errorElement: <RouteError />,
    element: (
      <Suspense fallback={null}>
        <SignInPage />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <SignedInLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: page(DashboardPage, { needs: 'JOBS_READ', title: 'Dashboard' }) },
      { path: 'jobs', element: page(JobsPage, { needs: 'JOBS_READ', title: 'Jobs' }) },
      { path: 'jobs/new', element: page(JobFormPage, { needs: 'JOBS_WRITE', title: 'New job' }) },
      { path: 'jobs/:jobId', element: page(JobPage, { needs: 'JOBS_READ', title: 'Job' }) },
      { path: 'jobs/:jobId/runs/:runId', element: page(RunPage, { needs: 'JOBS_READ', title: 'Run' }) },
      { path: 'jobs/:jobId/edit', element: page(JobFormPage, { needs: 'JOBS_WRITE', title: 'Edit job' }) },
      { path: 'runs', element: page(RunsPage, { needs: 'JOBS_READ', title: 'Runs' }) },
      { path: 'runs/:runId', element: page(RunPage, { needs: 'JOBS_READ', title: 'Run' }) },
      { path: 'calendars', element: page(CalendarsPage, { needs: 'JOBS_READ', title: 'Calendars' }) },
      { path: 'users', element: page(UsersPage, { needs: 'USERS_MANAGE', title: 'Users' }) },
      { path: 'roles', element: page(RolesPage, { needs: 'ROLES_MANAGE', title: 'Roles' }) },
      { path: 'audit', element: page(AuditPage, { needs: 'AUDIT_READ', title: 'Audit log' }) },
      { path: 'tokens', element: page(ApiTokensPage, { needs: 'TOKENS_MANAGE', title: 'API tokens' }) },
      { path: 'inbox', element: page(InboxPage) },
      { path: 'account', element: page(AccountPage) },
      { path: 'status', element: page(StatusPage) },
      { path: '*', element: page(NotFoundPage) },
    ],
  },
]);
