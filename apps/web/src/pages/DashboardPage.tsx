import { Link } from 'react-router';
import { PageHeader } from '../components/layout/PageHeader';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ClockIcon } from '../components/ui/icons';
import { buttonClass } from '../components/ui/Button';

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="What is scheduled, what ran, and what failed." />
      <Card>
        <EmptyState
          icon={<ClockIcon />}
          title="The dashboard fills in as jobs run"
          action={
            <Link to="/status" className={buttonClass()}>
              Check the server's status
            </Link>
          }
        >
          Counts of runs by status, failures of the last 24 hours and the next scheduled runs appear here once jobs
          exist.
        </EmptyState>
      </Card>
    </>
  );
}
