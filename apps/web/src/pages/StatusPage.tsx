import { useCallback, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { HealthCard } from '../components/health/HealthCard';
import { PageHeader } from '../components/layout/PageHeader';
import { Alert } from '../components/ui/Alert';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { Skeleton } from '../components/ui/Skeleton';
import { graphql } from '../gql';
import { formatDateTime } from '../lib/format';

const StatusPageQuery = graphql(`
  query StatusPageQuery {
    health {
      ...HealthCard_HealthFragment
    }
  }
`);

// Health changes without anyone acting on this page (a database going away); re-ask now and then.
const REFRESH_EVERY_MS = 30_000;

export default function StatusPage() {
  const [result, reexecute] = useQuery({ query: StatusPageQuery });
  const { data, error, fetching } = result;
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  useEffect(() => {
    if (data || error) setCheckedAt(new Date());
  }, [data, error]);

  useEffect(() => {
    const timer = setInterval(refresh, REFRESH_EVERY_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return (
    <div className="flex flex-col">
      <PageHeader
        title="System status"
        description="Whether this Sundial server can reach its database and run its scheduler."
      />

      <Card
        title="Server health"
        description="This process, its database and its scheduler"
        actions={
          data && (
            <Button onClick={refresh} disabled={fetching}>
              {fetching ? 'Checking…' : 'Refresh'}
            </Button>
          )
        }
        footer={checkedAt && `Last checked ${formatDateTime(checkedAt, { seconds: true })}`}
      >
        {error && !data ? (
          <Alert
            title="Cannot load the server's health"
            actions={
              <Button variant="primary" onClick={refresh} disabled={fetching}>
                {fetching ? 'Retrying…' : 'Retry'}
              </Button>
            }
          >
            {describeError(error)}
          </Alert>
        ) : data ? (
          <HealthCard health={data.health} />
        ) : (
          <HealthCardLoading />
        )}
      </Card>
    </div>
  );
}

function describeError(error: { networkError?: Error; graphQLErrors: readonly { message: string }[] }): string {
  if (error.networkError) return `The server did not answer (${error.networkError.message}). Is it running?`;
  return error.graphQLErrors.map((e) => e.message).join('; ');
}

function HealthCardLoading() {
  return (
    <div role="status" aria-label="Loading health" className="flex flex-col gap-6">
      <div className="flex items-center gap-4">
        <Skeleton className="size-12 rounded-full" />
        <div className="flex flex-col gap-2">
          <Skeleton className="h-3 w-16 rounded-md" />
          <Skeleton className="h-7 w-28 rounded-md" />
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Skeleton className="h-36 rounded-xl" />
        <Skeleton className="h-36 rounded-xl" />
      </div>
    </div>
  );
}
