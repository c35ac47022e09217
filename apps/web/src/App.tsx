import { AppShell } from './components/layout/AppShell';
import { StatusPage } from './pages/StatusPage';

// One page for now; the admin pages (jobs, runs, users) arrive with a router in a later issue.
export function App() {
  return (
    <AppShell>
      <StatusPage />
    </AppShell>
  );
}
