// One run: status, timings, trigger and who started it, effective args, output, error, per-user children with
// their roll-up, and the live log. Cancel and retry when the server says the viewer may. Live: status changes come
// over runUpdated; the duration ticks in the browser; progress is not an event, so while the run is going the page
// re-reads every few seconds. Reachable as /runs/<id> and /jobs/<job>/runs/<id>.
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { LogViewer } from '../components/runs/LogViewer';
import { ChildRuns } from '../components/runs/ChildRuns';
import { RunLineage } from '../components/runs/RunLineage';
import { isActiveStatus, RUN_TRIGGER_LABEL, runName, runPath } from '../components/runs/runStatus';
import { RunStatusBadge } from '../components/runs/RunStatusBadge';
import { Alert } from '../components/ui/Alert';
import { Button, buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { RetryIcon, SearchIcon, StopIcon } from '../components/ui/icons';
import { Skeleton } from '../components/ui/Skeleton';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import type { RunPageQueryQuery } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { formatDateTime, formatDuration, liveDuration, useNow } from '../lib/format';
import { outcomeOf } from '../lib/mutationResult';
import { useThrottledCallback } from '../lib/useLiveRefresh';

const RunPageQuery = graphql(`
  query RunPageQuery($id: ID!) {
    run(id: $id) {
      id
      title
      status
      statusReason
      waitingReason
      queue
      priority
      trigger
      attempt
      maxAttempts
      late
      createdAt
      scheduledFor
      startedAt
      finishedAt
      durationMs
      since
      args
      output
      errorMessage
      errorStack
      progressDone
      progressTotal
      viewerCanCancel
      viewerCanRetry
      cancellation {
        at
        by
      }
      startedBy {
        id
        name
      }
      targetUser {
        id
        name
        email
      }
      parentRun {
        id
        title
        job {
          id
          name
        }
        targetUser {
          id
          name
        }
      }
      job {
        id
        name
        perUser
      }
      childrenTotal
      childrenSucceeded
      childrenFailed
      ...RunLineage_RunFragment
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

const CancelRunMutation = graphql(`
  mutation CancelRunMutation($id: ID!) {
    cancelRun(id: $id) {
      __typename
      ... on MutationCancelRunSuccess {
        run {
          id
          status
        }
      }
      ...MutationError
    }
  }
`);

const RetryRunMutation = graphql(`
  mutation RetryRunMutation($id: ID!) {
    retryRun(id: $id) {
      __typename
      ... on MutationRetryRunSuccess {
        run {
          id
        }
      }
      ...MutationError
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
  const [cancelling, setCancelling] = useState(false);
  const [, cancel] = useMutation(CancelRunMutation);
  const [{ fetching: retrying }, retry] = useMutation(RetryRunMutation);
  const navigate = useNavigate();
  const toast = useToast();
  const live = isActiveStatus(run.status);
  const now = useNow(1000, live && run.startedAt != null);
  const title = runName(run);
  const cancelled = run.status === 'CANCELLED';
  const crumbs = [
    { label: 'Jobs', to: '/jobs' },
    { label: run.job.name, to: `/jobs/${run.job.id}` },
    ...(run.parentRun ? [{ label: runName(run.parentRun), to: runPath(run.parentRun) }] : []),
  ];

  const doRetry = async () => {
    const outcome = outcomeOf(await retry({ id: run.id }), (data) => data.retryRun);
    if (!outcome.ok) {
      toast({ tone: 'danger', title: 'Could not retry the run', description: outcome.message });
      return;
    }
    toast({ title: 'Run started again' });
    navigate(`/jobs/${run.job.id}/runs/${outcome.value.run.id}`);
  };

  return (
    <>
      <PageHeader
        title={title}
        crumbs={crumbs}
        badge={<RunStatusBadge status={run.status} />}
        description={cancelled ? undefined : run.statusReason ?? undefined}
        actions={
          <>
            {run.viewerCanCancel && (
              <Button icon={<StopIcon />} onClick={() => setCancelling(true)}>
                Cancel run
              </Button>
            )}
            {run.viewerCanRetry && (
              <Button variant={cancelled ? 'secondary' : 'primary'} icon={<RetryIcon />} loading={retrying} onClick={doRetry}>
                Retry
              </Button>
            )}
          </>
        }
      />
      <ConfirmDialog
        open={cancelling}
        onClose={() => setCancelling(false)}
        title="Cancel this run?"
        confirmLabel="Cancel run"
        onConfirm={async () => {
          const outcome = outcomeOf(await cancel({ id: run.id }), (data) => data.cancelRun);
          if (!outcome.ok) return outcome.message;
          toast({ title: 'Cancelling the run' });
        }}
      >
        <p>A queued run is cancelled at once. A running one is asked to stop; the action decides how soon it can.</p>
      </ConfirmDialog>

      <div className="flex flex-col gap-6">
        {cancelled && (
          <Alert tone="neutral" title={run.cancellation ? `Cancelled by ${run.cancellation.by} at ${formatDateTime(run.cancellation.at, { seconds: true })}` : 'Cancelled'}>
            <p data-testid="cancel-note">
              {run.statusReason === 'cancelled while running'
                ? 'It was stopped while running.'
                : run.statusReason === 'cancelled before it started'
                  ? 'It was cancelled before it started.'
                  : run.statusReason ?? 'It did not finish.'}{' '}
              {run.finishedAt != null && `Ended ${formatDateTime(run.finishedAt, { seconds: true })}.`}
            </p>
          </Alert>
        )}
        {run.waitingReason && (
          <Alert tone="warning" title="No worker takes this run's queue">
            <p data-testid="waiting-reason">
              {run.waitingReason}: it starts once a worker whose <code>jobs.queues</code> include it is running.
            </p>
          </Alert>
        )}
        {run.errorMessage && !cancelled && (
          <Alert title="The run failed with an error">
            <p className="font-mono text-[13px] break-words whitespace-pre-wrap">{run.errorMessage}</p>
            {run.errorStack && (
              <details className="mt-2">
                <summary className="cursor-pointer text-xs font-medium">Stack trace</summary>
                <pre className="mt-2 max-h-64 overflow-auto font-mono text-[11px] leading-relaxed">{run.errorStack}</pre>
              </details>
            )}
          </Alert>
        )}

        <div className="grid gap-6 lg:grid-cols-3">
          <Card title="Timings">
            <dl className="flex flex-col gap-2.5 text-sm">
              <Fact term="Trigger">
                {RUN_TRIGGER_LABEL[run.trigger]}
                {run.late && ' (catch-up)'}
              </Fact>
              <Fact term="Started by">
                {run.startedBy?.name ?? (run.trigger === 'SCHEDULE' ? 'The schedule' : run.trigger === 'CHAIN' ? 'Another run’s ending' : '—')}
              </Fact>
              {run.targetUser && <Fact term="For user">{run.targetUser.name}</Fact>}
              <Fact term="Scheduled for">{formatDateTime(run.scheduledFor, { seconds: true })}</Fact>
              <Fact term="Started">{formatDateTime(run.startedAt, { seconds: true })}</Fact>
              <Fact term="Finished">{formatDateTime(run.finishedAt, { seconds: true })}</Fact>
              <Fact term="Duration">
                <span data-testid="run-duration">{formatDuration(liveDuration(run, now, live))}</span>
                {live && run.startedAt ? ' so far' : ''}
              </Fact>
              <Fact term="Attempt">
                {run.attempt} of {run.maxAttempts}
              </Fact>
              <Fact term="Queue">
                {run.queue}
                {run.priority !== 0 && ` · priority ${run.priority}`}
              </Fact>
              {run.since != null && <Fact term="Since">{formatDateTime(run.since, { seconds: true })}</Fact>}
              {run.progressTotal != null && (
                <Fact term="Progress">
                  <span data-testid="run-progress">
                    {run.progressDone ?? 0} / {run.progressTotal}
                  </span>
                </Fact>
              )}
            </dl>
          </Card>
          <Card title="Args" description="What the action got: the job's args with this run's overrides.">
            <JsonBlock value={run.args} />
          </Card>
          <Card title="Output" description="What the action returned.">
            {run.output === null || run.output === undefined ? (
              <p className="text-sm text-stone-500 dark:text-stone-400">{live ? 'Not finished yet.' : 'Nothing.'}</p>
            ) : (
              <JsonBlock value={run.output} />
            )}
          </Card>
        </div>

        <RunLineage run={run} />

        {run.childrenTotal > 0 && (
          <Card
            flush
            title="Per-user runs"
            description={<RollUp total={run.childrenTotal} succeeded={run.childrenSucceeded} failed={run.childrenFailed} />}
          >
            <ChildRuns parentRunId={run.id} job={run.job} refreshKey={`${run.status}:${run.childrenSucceeded}:${run.childrenFailed}`} />
          </Card>
        )}

        <LogViewer runId={run.id} live={live} fileName={`run-${run.id}.log`} />
      </div>
    </>
  );
}

function RollUp({ total, succeeded, failed }: { total: number; succeeded: number; failed: number }) {
  const done = succeeded + failed;
  return (
    <span className="flex flex-col gap-1.5">
      <span data-testid="children-rollup">
        {succeeded} of {total} succeeded{failed > 0 ? `, ${failed} failed` : ''}
        {done < total ? `, ${total - done} to go` : ''}
      </span>
      <span aria-hidden="true" className="flex h-1.5 w-64 max-w-full overflow-hidden rounded-full bg-stone-200 dark:bg-stone-800">
        <span className="bg-emerald-500" style={{ width: `${(succeeded / total) * 100}%` }} />
        <span className="bg-red-500" style={{ width: `${(failed / total) * 100}%` }} />
      </span>
    </span>
  );
}

function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre className="max-h-72 overflow-auto rounded-lg bg-stone-50 p-3 font-mono text-[12px] leading-relaxed break-words whitespace-pre-wrap text-stone-800 ring-1 ring-stone-200 dark:bg-stone-950 dark:text-stone-200 dark:ring-stone-800">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex justify-between gap-4">
      <dt className="shrink-0 whitespace-nowrap text-stone-500 dark:text-stone-400">{term}</dt>
      <dd className="text-right font-medium tabular-nums">{children}</dd>
    </div>
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
