// One job: its definition and schedule, and its runs — live: new runs appear and statuses change as they happen
// (the runsOfJob subscription says "run X changed"; the page re-reads its runs).
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { useJobActions } from '../components/jobs/JobActions';
import { BackfillCard } from '../components/jobs/BackfillCard';
import { JobCalendars } from '../components/jobs/JobCalendars';
import { JobDefinition, JobSchedule } from '../components/jobs/JobDefinition';
import { JobNotifications } from '../components/jobs/JobNotifications';
import { JobWebhook } from '../components/jobs/JobWebhook';
import { PauseUntilDialog } from '../components/jobs/PauseUntilDialog';
import { PageHeader } from '../components/layout/PageHeader';
import { RunRow, RunTableHead } from '../components/runs/RunRow';
import { Alert } from '../components/ui/Alert';
import { Badge } from '../components/ui/Badge';
import { Button, buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { ListIcon, PauseIcon, PencilIcon, PlayIcon, SearchIcon, TrashIcon } from '../components/ui/icons';
import { Skeleton, SkeletonRows } from '../components/ui/Skeleton';
import { TBody, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import type { JobPageCalendarsQueryQuery, JobPageQueryQuery } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { formatDateTime, useZoneChoice } from '../lib/format';
import { useThrottledCallback } from '../lib/useLiveRefresh';

const JobPageQuery = graphql(`
  query JobPageQuery($id: ID!) {
    job(id: $id) {
      id
      name
      description
      enabled
      disabledReason
      runCounts {
        total
        succeeded
        failed
        active
      }
      runs(first: 10) {
        totalCount
        edges {
          node {
            id
            ...RunRow_RunFragment
          }
        }
      }
      ...JobActions_JobFragment
      ...JobDefinition_JobFragment
      ...JobSchedule_JobFragment
      ...JobNotifications_JobFragment
      ...JobWebhook_JobFragment
    }
  }
`);

// The pause and the calendars, read apart from the page's query so they add nothing to its cost (graphql.max_cost).
const JobPageCalendarsQuery = graphql(`
  query JobPageCalendarsQuery($id: ID!) {
    job(id: $id) {
      id
      enabled
      pausedUntil
      ...JobCalendars_JobFragment
    }
  }
`);

const JobPageRunsSubscription = graphql(`
  subscription JobPageRunsSubscription($jobId: ID!) {
    runsOfJob(jobId: $jobId, includeChildren: false) {
      id
      status
    }
  }
`);

const JobPageJobSubscription = graphql(`
  subscription JobPageJobSubscription($jobId: ID!) {
    jobUpdated(jobId: $jobId) {
      change
      jobId
    }
  }
`);

export default function JobPage() {
  const { jobId = '' } = useParams();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: JobPageQuery, variables: { id: jobId } });
  const [{ data: extra }, reexecuteExtra] = useQuery({ query: JobPageCalendarsQuery, variables: { id: jobId } });
  const refresh = useThrottledCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    reexecuteExtra({ requestPolicy: 'network-only' });
  }, 400);
  // Each event is a new object: the effect runs once per "something changed" and the page re-reads.
  const [{ data: runChanged }] = useSubscription({ query: JobPageRunsSubscription, variables: { jobId } });
  const [{ data: jobChanged }] = useSubscription({ query: JobPageJobSubscription, variables: { jobId } });
  useEffect(() => {
    if (runChanged || jobChanged) refresh();
  }, [runChanged, jobChanged, refresh]);

  if (error && !data) {
    return (
      <>
        <PageHeader title="Job" crumbs={[{ label: 'Jobs', to: '/jobs' }]} />
        <Card>
          <ErrorState title="Could not load the job" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        </Card>
      </>
    );
  }
  if (!data) return <JobPageLoading />;
  if (!data.job) {
    return (
      <>
        <PageHeader title="Job not found" crumbs={[{ label: 'Jobs', to: '/jobs' }]} />
        <Card>
          <EmptyState icon={<SearchIcon />} title="There is no such job" action={<Link to="/jobs" className={buttonClass()}>All jobs</Link>}>
            It may have been deleted.
          </EmptyState>
        </Card>
      </>
    );
  }
  return <JobView job={data.job} extra={extra?.job ?? null} onRefresh={refresh} refreshing={fetching} />;
}

type LoadedJob = NonNullable<JobPageQueryQuery['job']>;
type JobExtra = NonNullable<JobPageCalendarsQueryQuery['job']>;

function JobView({ job, extra, onRefresh, refreshing }: { job: LoadedJob; extra: JobExtra | null; onRefresh: () => void; refreshing: boolean }) {
  const navigate = useNavigate();
  const actions = useJobActions(job, { afterDelete: () => void navigate('/jobs', { replace: true }) });
  const [pausingUntil, setPausingUntil] = useState(false);
  useZoneChoice();
  const runs = job.runs;
  const pausedUntil = !job.enabled && extra && !extra.enabled && extra.pausedUntil ? extra.pausedUntil : null;

  return (
    <>
      <PageHeader
        title={job.name}
        crumbs={[{ label: 'Jobs', to: '/jobs' }]}
        badge={
          job.enabled ? (
            <Badge tone="success">Enabled</Badge>
          ) : (
            <Badge tone="neutral">{job.disabledReason ? 'Stopped' : 'Paused'}</Badge>
          )
        }
        description={job.description || undefined}
        actions={
          <>
            {actions.runNow && (
              <Button variant="primary" icon={<PlayIcon />} onClick={actions.runNow}>
                Run now
              </Button>
            )}
            {actions.setEnabled && (
              <Button icon={job.enabled ? <PauseIcon /> : <PlayIcon />} loading={actions.toggling} onClick={() => void actions.setEnabled?.(!job.enabled)}>
                {job.enabled ? 'Pause' : 'Resume'}
              </Button>
            )}
            {actions.setEnabled && (
              <Button icon={<PauseIcon />} onClick={() => setPausingUntil(true)}>
                Pause until…
              </Button>
            )}
            {actions.canEdit && (
              <Link to={`/jobs/${job.id}/edit`} className={buttonClass()}>
                <PencilIcon />
                Edit
              </Link>
            )}
            {actions.remove && (
              <Button variant="ghost" className="text-red-600 dark:text-red-400" icon={<TrashIcon />} onClick={actions.remove}>
                Delete
              </Button>
            )}
          </>
        }
      />
      {actions.dialogs}
      {pausingUntil && <PauseUntilDialog job={job} open onClose={() => setPausingUntil(false)} />}
      {pausedUntil && (
        <div className="mb-4" data-testid="paused-until">
          <Alert
            tone="info"
            title={`Paused until ${formatDateTime(pausedUntil)}`}
            actions={
              actions.setEnabled && (
                <Button size="sm" icon={<PlayIcon />} loading={actions.toggling} onClick={() => void actions.setEnabled?.(true)}>
                  Resume now
                </Button>
              )
            }
          >
            No scheduled runs until then; the job is enabled again by itself at that time.
          </Alert>
        </div>
      )}
      {!actions.canRun && !actions.canEdit && (
        <p className="mb-4 text-sm text-stone-500 dark:text-stone-400">
          You can look at this job and its runs. Running it needs the “Run and cancel jobs” permission; changing it needs
          “Create and edit jobs”.
        </p>
      )}
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-2">
          <Card
            flush
            title="Runs"
            description={`${job.runCounts.total} in all · ${job.runCounts.succeeded} succeeded · ${job.runCounts.failed} failed${job.runCounts.active ? ` · ${job.runCounts.active} active` : ''}`}
            actions={
              runs.totalCount > runs.edges.length && (
                <Link to={`/runs?job=${job.id}`} className={buttonClass('secondary', 'sm')}>
                  All {runs.totalCount} runs
                </Link>
              )
            }
          >
            {runs.edges.length === 0 ? (
              <EmptyState icon={<ListIcon />} title="No runs yet">
                Runs appear here as they start — from the schedule, or when someone presses “Run now”. This list updates
                by itself.
              </EmptyState>
            ) : (
              <div tabIndex={0} className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-amber-500">
                <table aria-label="Runs of this job" className="w-full text-left text-sm">
                  <THead>
                    <RunTableHead />
                  </THead>
                  <TBody>
                    {runs.edges.map(({ node }) => (
                      <RunRow key={node.id} run={node} job={job} />
                    ))}
                  </TBody>
                </table>
              </div>
            )}
          </Card>
          <JobDefinition job={job} />
        </div>
        <div className="flex min-w-0 flex-col gap-6">
          <JobSchedule job={job} />
          {extra && <JobCalendars job={extra} />}
          <BackfillCard jobId={job.id} />
          <JobNotifications job={job} onRefresh={onRefresh} refreshing={refreshing} />
          <JobWebhook job={job} />
        </div>
      </div>
    </>
  );
}

function JobPageLoading() {
  return (
    <div role="status" aria-label="Loading job" className="flex flex-col gap-6">
      <Skeleton className="h-4 w-24 rounded" />
      <Skeleton className="h-8 w-72 rounded-md" />
      <div className="grid gap-6 xl:grid-cols-3">
        <div className="overflow-hidden rounded-2xl border border-stone-200 xl:col-span-2 dark:border-stone-800">
          <SkeletonRows rows={6} columns={5} label="Loading runs" />
        </div>
        <Skeleton className="h-64 rounded-2xl" />
      </div>
    </div>
  );
}
