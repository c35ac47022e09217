import { Link } from 'react-router';
import { PageHeader } from '../components/layout/PageHeader';
import { buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { SearchIcon } from '../components/ui/icons';

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Card>
        <EmptyState
          icon={<SearchIcon />}
          title="Nothing lives at this address"
          action={
            <Link to="/" className={buttonClass()}>
              Go to the dashboard
            </Link>
          }
        >
          The link may be old, or what it pointed to was deleted.
        </EmptyState>
      </Card>
    </>
  );
}
