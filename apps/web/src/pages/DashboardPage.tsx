// At a glance: how many jobs are on, today's runs by outcome, failures of the last 24 hours, runs per hour,
// what runs next and what failed last. Live: the run feed says something changed and the page re-reads. The counters
// are the page's own; the chart and the two lists read their fragments.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { LatestFailures } from '../components/dashboard/LatestFailures';
import { NextRuns } from '../components/dashboard/NextRuns';
import { RunsChart } from '../components/dashboard/RunsChart';
import { PageHeader } from '../components/layout/PageHeader';
import { buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { ClockIcon, PlusIcon } from '../components/ui/icons';
import { Skeleton } from '../components/ui/Skeleton';
import { graphql } from '../gql';
import { cx } from '../lib/cx';
import { describeError } from '../lib/errors';
import { fromZonedInput, toZonedInput } from '../lib/format';
import { useThrottledCallback } from '../lib/useLiveRefresh';
import { usePermission } from '../lib/viewer';

const DashboardPageQuery = graphql(`
  query DashboardPageQuery($today: DateTime!, $dayAgo: DateTime!, $chartFrom: DateTime!, $chartTo: DateTime!) {
    allJobs: jobs(first: 1) {
      totalCount
    }
    enabledJobs: jobs(first: 1, filter: { enabled: true }) {
      totalCount
    }
    runsToday: runs(first: 1, filter: { createdAfter: $today }) {
      totalCount
    }
    succeededToday: runs(first: 1, filter: { createdAfter: $today, status: [SUCCEEDED] }) {
      totalCount
    }
    failedToday: runs(first: 1, filter: { createdAfter: $today, status: [FAILED, TIMED_OUT, INTERRUPTED] }) {
      totalCount
    }
    active: runs(first: 1, filter: { status: [QUEUED, RUNNING, CANCELLING] }) {
      totalCount
    }
    failures: runs(first: 6, filter: { createdAfter: $dayAgo, status: [FAILED, TIMED_OUT, INTERRUPTED] }) {
      totalCount
      ...LatestFailures_QueryRunsConnectionFragment
    }
    runHistogram(from: $chartFrom, to: $chartTo, bucketSeconds: 3600) {
      __typename
      ... on QueryRunHistogramSuccess {
        histogram {
          ...RunsChart_RunHistogramFragment
        }
      }
      ... on Error {
        message
      }
    }
    upcoming: jobs(first: 6, filter: { enabled: true }, orderBy: { field: NEXT_RUN_AT, direction: ASC }) {
      ...NextRuns_QueryJobsConnectionFragment
    }
  }
`);

const DashboardFeed = graphql(`
  subscription DashboardFeed {
    runFeed {
      id
      status
    }
  }
`);

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['Run', 'Job'] };

export default function DashboardPage() {
  const [now] = useState(() => new Date());
  const variables = useMemo(() => {
    // Midnight in the zone the viewer reads times in (browser or UTC).
    const today = fromZonedInput(`${toZonedInput(now).slice(0, 10)}T00:00`) ?? now;
    // The chart: the 24 whole hours ending with the current one.
    const chartTo = Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000;
    return {
      today: today.toISOString(),
      dayAgo: new Date(now.getTime() - 24 * 3600 * 1000).toISOString(),
      chartFrom: new Date(chartTo - 24 * 3_600_000).toISOString(),
      chartTo: new Date(chartTo).toISOString(),
    };
  }, [now]);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: DashboardPageQuery, variables, context: CONTEXT });
  const refresh = useThrottledCallback(() => reexecute({ requestPolicy: 'network-only' }), 1500);
  const [{ data: changed }] = useSubscription({ query: DashboardFeed });
  useEffect(() => {
    if (changed) refresh();
  }, [changed, refresh]);
  const canWrite = usePermission('JOBS_WRITE').allowed;

  const header = <PageHeader title="Dashboard" description="What is scheduled, what ran today, and what failed. Updates live." />;

  if (error && !data) {
    return (
      <>
        {header}
        <Card>
          <ErrorState title="Could not load the dashboard" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        </Card>
      </>
    );
  }
  if (!data) {
    return (
      <>
        {header}
        <div role="status" aria-label="Loading dashboard" className="flex flex-col gap-6">
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="h-28 rounded-2xl" />
            ))}
          </div>
          <Skeleton className="h-64 rounded-2xl" />
        </div>
      </>
    );
  }

  if (data.allJobs.totalCount === 0) {
    return (
      <>
        {header}
        <Card>
          <EmptyState
            icon={<ClockIcon />}
            title="Welcome to Sundial"
            action={
              canWrite && (
                <Link to="/jobs/new" className={buttonClass('primary')}>
                  <PlusIcon />
                  Create your first job
                </Link>
              )
            }
          >
            A job runs one of this server's actions for your users — on a cron schedule, every few minutes, once, or
            when you press “Run now”. Create one and its runs, failures and next fire times show up here.
          </EmptyState>
        </Card>
      </>
    );
  }

  return (
    <>
      {header}
      <div className="flex flex-col gap-6">
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <Stat label="Jobs enabled" value={data.enabledJobs.totalCount} detail={`of ${data.allJobs.totalCount}`} to="/jobs?enabled=true" />
          <Stat label="Runs today" value={data.runsToday.totalCount} detail={`${data.succeededToday.totalCount} succeeded · ${data.failedToday.totalCount} failed`} to="/runs" />
          <Stat label="Failures, last 24 h" value={data.failures.totalCount} tone={data.failures.totalCount > 0 ? 'danger' : undefined} to="/runs?status=FAILED" />
          <Stat label="Running now" value={data.active.totalCount} tone={data.active.totalCount > 0 ? 'info' : undefined} to="/runs?status=RUNNING" />
        </div>
        <Card title="Runs per hour" description="The last 24 hours, by outcome.">
          {data.runHistogram.__typename === 'QueryRunHistogramSuccess' ? (
            <RunsChart histogram={data.runHistogram.histogram} />
          ) : (
            <p className="text-sm text-red-700 dark:text-red-400">{'message' in data.runHistogram ? data.runHistogram.message : 'The chart could not be loaded.'}</p>
          )}
        </Card>
        <div className="grid gap-6 lg:grid-cols-2">
          <NextRuns jobs={data.upcoming} />
          <LatestFailures runs={data.failures} />
        </div>
      </div>
    </>
  );
}

function Stat({ label, value, detail, tone, to }: { label: string; value: number; detail?: ReactNode; tone?: 'danger' | 'info'; to: string }) {
  return (
    <Link
      to={to}
      className="group rounded-2xl border border-stone-200 bg-white p-5 shadow-xs transition-colors hover:border-amber-300 focus-visible:outline-2 focus-visible:outline-amber-500 dark:border-stone-800 dark:bg-stone-900 dark:hover:border-amber-500/40"
    >
      <p className="text-sm text-stone-500 dark:text-stone-400">{label}</p>
      <p
        aria-label={label}
        className={cx(
          'mt-1 text-3xl font-semibold tracking-tight tabular-nums',
          tone === 'danger' && 'text-red-600 dark:text-red-400',
          tone === 'info' && 'text-sky-600 dark:text-sky-400',
        )}
      >
        {value}
      </p>
      {detail && <p className="mt-1 text-xs text-stone-500 dark:text-stone-400">{detail}</p>}
    </Link>
  );
}
