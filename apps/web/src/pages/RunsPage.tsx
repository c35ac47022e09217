// Every run, newest first, live: the runFeed subscription says a run changed and the page re-reads. Filters by
// status and trigger; ?job= and ?parent= narrow to one job's runs or one run's per-user children.
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { PageHeader } from '../components/layout/PageHeader';
import { RunRow, RunTableHead } from '../components/runs/RunRow';
import { RUN_STATUS, RUN_STATUSES, RUN_TRIGGER_LABEL } from '../components/runs/runStatus';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { ListIcon } from '../components/ui/icons';
import { PaginationFooter } from '../components/ui/Pagination';
import { Select } from '../components/ui/Select';
import { SkeletonRows } from '../components/ui/Skeleton';
import { TBody, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import type { RunFilter, RunStatus, RunTrigger } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { useThrottledCallback } from '../lib/useLiveRefresh';
import { useCursorPages } from '../lib/useCursorPages';

const RunsPageQuery = graphql(`
  query RunsPageQuery($first: Int!, $after: String, $filter: RunFilter) {
    runs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          job {
            id
            name
          }
          ...RunRow_RunFragment
        }
      }
    }
  }
`);

const RunsPageFeed = graphql(`
  subscription RunsPageFeed {
    runFeed {
      id
      status
    }
  }
`);

const PAGE_SIZE = 50;
const TRIGGERS = Object.keys(RUN_TRIGGER_LABEL) as RunTrigger[];

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['Run'] };

export default function RunsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const trigger = params.get('trigger') ?? '';
  const jobId = params.get('job');
  const parentRunId = params.get('parent');

  const filter = useMemo<RunFilter>(
    () => ({
      status: status ? [status as RunStatus] : null,
      trigger: trigger ? [trigger as RunTrigger] : null,
      jobId,
      parentRunId,
      includeChildren: parentRunId ? true : null,
    }),
    [status, trigger, jobId, parentRunId],
  );
  const filterKey = JSON.stringify(filter);
  const pages = useCursorPages(PAGE_SIZE, filterKey);

  const [{ data, error, fetching }, reexecute] = useQuery({ query: RunsPageQuery, variables: { first: pages.first, after: pages.after, filter }, context: CONTEXT });
  const refresh = useThrottledCallback(() => {
    // Only the first page moves under the reader's eyes; later pages stay put until asked.
    if (pages.onFirstPage) reexecute({ requestPolicy: 'network-only' });
  }, 1000);
  const [{ data: changed }] = useSubscription({ query: RunsPageFeed });
  useEffect(() => {
    if (changed) refresh();
  }, [changed, refresh]);

  const set = (key: string, value: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });

  const runs = data?.runs;
  const narrowed = jobId ? 'of one job' : parentRunId ? 'of one per-user run' : null;

  return (
    <>
      <PageHeader title="Runs" description={narrowed ? `Runs ${narrowed}, newest first. Updates live.` : 'Every run of every job, newest first. Updates live.'} />
      <Card flush>
        <div className="flex flex-wrap gap-3 border-b border-stone-100 px-4 py-3 dark:border-stone-800">
          <Select
            aria-label="Filter by status"
            value={status}
            onChange={(event) => set('status', event.target.value)}
            options={[{ value: '', label: 'Any status' }, ...RUN_STATUSES.map((s) => ({ value: s, label: RUN_STATUS[s].label }))]}
          />
          <Select
            aria-label="Filter by trigger"
            value={trigger}
            onChange={(event) => set('trigger', event.target.value)}
            options={[{ value: '', label: 'Any trigger' }, ...TRIGGERS.map((t) => ({ value: t, label: RUN_TRIGGER_LABEL[t] }))]}
          />
        </div>
        {error && !data ? (
          <ErrorState title="Could not load the runs" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !runs ? (
          <SkeletonRows rows={10} columns={6} label="Loading runs" />
        ) : runs.totalCount === 0 ? (
          <EmptyState icon={<ListIcon />} title={status || trigger ? 'No run matches these filters' : 'No runs yet'}>
            {status || trigger
              ? 'Try another status or trigger.'
              : 'Runs appear here when a job’s schedule comes round or someone presses “Run now” on a job.'}
          </EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table aria-label="Runs" className="w-full text-left text-sm">
                <THead>
                  <RunTableHead showJob />
                </THead>
                <TBody>
                  {runs.edges.map(({ node }) => (
                    <RunRow key={node.id} run={node} job={node.job} />
                  ))}
                </TBody>
              </table>
            </div>
            <PaginationFooter {...pages.pagination(runs, 'runs')} />
          </>
        )}
      </Card>
    </>
  );
}
