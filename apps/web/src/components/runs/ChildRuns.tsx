// The per-user runs of a per-user parent, a page at a time, filterable by status (find the failed ones).
// `refreshKey` changes when the parent changed (a child finished): the list re-reads.
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { RunStatus } from '../../gql/graphql';
import { describeError } from '../../lib/errors';
import { useCursorPages } from '../../lib/useCursorPages';
import { ErrorState } from '../ui/ErrorState';
import { PaginationFooter } from '../ui/Pagination';
import { Select } from '../ui/Select';
import { SkeletonRows } from '../ui/Skeleton';
import { TBody, THead } from '../ui/Table';
import { RunRow, RunTableHead } from './RunRow';
import { RUN_STATUS, RUN_STATUSES } from './runStatus';

const ChildRunsQuery = graphql(`
  query ChildRunsQuery($parentRunId: ID!, $first: Int!, $after: String, $status: [RunStatus!]) {
    runs(first: $first, after: $after, filter: { parentRunId: $parentRunId, includeChildren: true, status: $status }, orderBy: { field: CREATED_AT, direction: ASC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...RunRow_RunFragment
        }
      }
    }
  }
`);

const PAGE_SIZE = 25;

export function ChildRuns({ parentRunId, job, refreshKey }: { parentRunId: string; job: { id: string; name: string }; refreshKey: unknown }) {
  const [status, setStatus] = useState('');
  const pages = useCursorPages(PAGE_SIZE, status);
  const [{ data, error, fetching }, reexecute] = useQuery({
    query: ChildRunsQuery,
    variables: { parentRunId, first: pages.first, after: pages.after, status: status ? [status as RunStatus] : null },
  });
  useEffect(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [refreshKey, reexecute]);

  const runs = data?.runs;
  return (
    <>
      <div className="border-b border-stone-100 px-4 py-2.5 dark:border-stone-800">
        <Select
          aria-label="Filter per-user runs by status"
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          options={[{ value: '', label: 'Any status' }, ...RUN_STATUSES.map((s) => ({ value: s, label: RUN_STATUS[s].label }))]}
          className="max-w-56"
        />
      </div>
      {error && !data ? (
        <ErrorState title="Could not load the per-user runs" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
      ) : !runs ? (
        <SkeletonRows rows={4} columns={5} label="Loading per-user runs" />
      ) : runs.totalCount === 0 ? (
        <p className="px-4 py-6 text-sm text-stone-500 dark:text-stone-400">{status ? 'No per-user run has this status.' : 'The per-user runs have not been created yet.'}</p>
      ) : (
        <>
          <div tabIndex={0} className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-amber-500">
            <table aria-label="Per-user runs" className="w-full text-left text-sm">
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
          {(runs.pageInfo.hasNextPage || !pages.onFirstPage) && <PaginationFooter {...pages.pagination(runs, 'per-user runs')} />}
        </>
      )}
    </>
  );
}
