// One run: status, timings, trigger and who started it, effective args, output, error, per-user children with
// their roll-up, and the live log. Cancel and retry when the server says the viewer may. Live: status changes come
// over runUpdated; the duration ticks in the browser; progress is not an event, so while the run is going the page
// re-reads every few seconds. Reachable as /runs/<id> and /jobs/<job>/runs/<id>. The page owns one query, composed
// of its components' fragments; each component reads only what its own fragment asked for.
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { LogViewer } from '../components/runs/LogViewer';
import { RunChildren } from '../components/runs/RunChildren';
import { RunHeader } from '../components/runs/RunHeader';
import { RunLineage } from '../components/runs/RunLineage';
import { RunNotices } from '../components/runs/RunNotices';
import { RunArgs, RunOutput } from '../components/runs/RunPayload';
import { RunTimings } from '../components/runs/RunTimings';
import { isActiveStatus } from '../components/runs/runStatus';
import { buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { SearchIcon } from '../components/ui/icons';
import { Skeleton } from '../components/ui/Skeleton';
import { graphql } from '../gql';
import type { RunPageQueryQuery } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { useThrottledCallback } from '../lib/useLiveRefresh';

const RunPageQuery = graphql(`
  query RunPageQuery($id: ID!) {
    run(id: $id) {
      id
      status
      ...RunHeader_RunFragment
      ...RunNotices_RunFragment
      ...RunTimings_RunFragment
      ...RunArgs_RunFragment
      ...RunOutput_RunFragment
      ...RunLineage_RunFragment
      ...RunChildren_RunFragment
    }
  }
`);

const RunPageSubscription = graphql(`
  subscription RunPageSubscription($runId: ID!) {
    runUpdated(runId: $runId) {
      id
      status
    }
  }
`);

/** How often a running run's page re-reads it for its progress counters (which are not published as events). */
const PROGRESS_REFRESH_MS = 2000;

export default function RunPage() {
  const { runId = '' } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: RunPageQuery, variables: { id: runId } });
  const refresh = useThrottledCallback(() => reexecute({ requestPolicy: 'network-only' }), 400);
  const [{ data: changed }] = useSubscription({ query: RunPageSubscription, variables: { runId } });
  useEffect(() => {
    if (changed) refresh();
  }, [changed, refresh]);
  const live = data?.run ? isActiveStatus(data.run.status) : false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, reexecute]);

  if (error && !data) {
    return (
      <>
        <PageHeader title="Run" />
        <Card>
          <ErrorState title="Could not load the run" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        </Card>
      </>
    );
  }
  if (!data) return <RunPageLoading />;
  if (!data.run) {
    return (
      <>
        <PageHeader title="Run not found" />
        <Card>
          <EmptyState icon={<SearchIcon />} title="There is no such run" action={<Link to="/runs" className={buttonClass()}>All runs</Link>}>
            It may have been deleted with its job.
          </EmptyState>
        </Card>
      </>
    );
  }
  return <RunView run={data.run} />;
}

type LoadedRun = NonNullable<RunPageQueryQuery['run']>;

function RunView({ run }: { run: LoadedRun }) {
  const live = isActiveStatus(run.status);
  return (
    <>
      <RunHeader run={run} />
      <div className="flex flex-col gap-6">
        <RunNotices run={run} />
        <div className="grid gap-6 lg:grid-cols-3">
          <RunTimings run={run} />
          <RunArgs run={run} />
          <RunOutput run={run} />
        </div>
        <RunLineage run={run} />
        <RunChildren run={run} />
        <LogViewer runId={run.id} live={live} fileName={`run-${run.id}.log`} />
      </div>
    </>
  );
}

function RunPageLoading() {
  return (
    <div role="status" aria-label="Loading run" className="flex flex-col gap-6">
      <Skeleton className="h-4 w-40 rounded" />
      <Skeleton className="h-8 w-80 rounded-md" />
      <div className="grid gap-6 lg:grid-cols-3">
        <Skeleton className="h-64 rounded-2xl" />
        <Skeleton className="h-64 rounded-2xl" />
        <Skeleton className="h-64 rounded-2xl" />
      </div>
      <Skeleton className="h-96 rounded-2xl" />
    </div>
  );
}
