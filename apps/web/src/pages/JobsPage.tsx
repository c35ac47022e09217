// All jobs: search, filters and sort live in the URL (shareable, back/forward work); pages by cursor. Live: the
// jobsFeed subscription says a job or one of its runs changed, and the page re-reads (coalesced).
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { useQuery, useSubscription } from 'urql';
import { DefinitionsButtons } from '../components/jobs/DefinitionsButtons';
import { JobRow } from '../components/jobs/JobRow';
import { PageHeader } from '../components/layout/PageHeader';
import { RUN_STATUS, RUN_STATUSES } from '../components/runs/runStatus';
import { Button, buttonClass } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { ClockIcon, PlusIcon, SearchIcon } from '../components/ui/icons';
import { Input } from '../components/ui/Input';
import { PaginationFooter } from '../components/ui/Pagination';
import { Select } from '../components/ui/Select';
import { SkeletonRows } from '../components/ui/Skeleton';
import { SortableTh, Table, TBody, Th, THead, type SortDirection } from '../components/ui/Table';
import { graphql } from '../gql';
import type { JobFilter, JobOrderField } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { usePermission } from '../lib/viewer';
import { useCursorPages } from '../lib/useCursorPages';
import { useDebounced } from '../lib/useDebounced';
import { useThrottledCallback } from '../lib/useLiveRefresh';
import { urlEnum, urlText, useUrlState } from '../lib/urlState';

const JobsPageFeed = graphql(`
  subscription JobsPageFeed {
    jobsFeed {
      jobId
    }
  }
`);

const JobsPageQuery = graphql(`
  query JobsPageQuery($first: Int!, $after: String, $filter: JobFilter, $orderBy: JobOrder) {
    jobs(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...JobRow_JobFragment
        }
      }
    }
    actions {
      name
    }
  }
`);

const PAGE_SIZE = 25;
const JOB_ORDER_FIELDS: readonly JobOrderField[] = ['NAME', 'ACTION', 'CREATED_AT', 'LAST_RUN_AT', 'NEXT_RUN_AT', 'UPDATED_AT'];
const SORT_DIRECTIONS: readonly SortDirection[] = ['asc', 'desc'];

/** The page's URL: ?q=&enabled=&status=&action=&sort=&dir=, each checked (an unknown value is its default). */
const JobsPageUrl = z.object({
  q: urlText,
  enabled: urlEnum(['true', 'false'], ''),
  status: urlEnum(RUN_STATUSES, ''),
  action: urlText,
  sort: urlEnum(JOB_ORDER_FIELDS, 'NAME'),
  dir: urlEnum(SORT_DIRECTIONS, 'asc'),
});
const CONTEXT = { additionalTypenames: ['Job'] };

export default function JobsPage() {
  const [{ q: search, enabled, status, action, sort, dir: direction }, setUrl] = useUrlState(JobsPageUrl);
  const [searchText, setSearchText] = useState(search);
  const settledSearch = useDebounced(searchText, 250);
  const write = usePermission('JOBS_WRITE');

  const update = (changes: Parameters<typeof setUrl>[0]) => setUrl(changes, { replace: true });

  useEffect(() => {
    if (settledSearch !== search) update({ q: settledSearch });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a newly settled search updates the URL, not each keystroke
  }, [settledSearch]);

  const filter = useMemo<JobFilter>(
    () => ({
      search: search || null,
      enabled: enabled === '' ? null : enabled === 'true',
      lastRunStatus: status ? [status] : null,
      action: action || null,
    }),
    [search, enabled, status, action],
  );
  const filterKey = JSON.stringify([filter, sort, direction]);
  const pages = useCursorPages(PAGE_SIZE, filterKey);

  const [{ data, error, fetching }, reexecute] = useQuery({
    query: JobsPageQuery,
    variables: { first: pages.first, after: pages.after, filter, orderBy: { field: sort, direction: direction === 'asc' ? 'ASC' : 'DESC' } },
    context: CONTEXT,
  });
  const refresh = useThrottledCallback(() => {
    if (pages.onFirstPage) reexecute({ requestPolicy: 'network-only' });
  }, 1000);
  const [{ data: changed }] = useSubscription({ query: JobsPageFeed });
  useEffect(() => {
    if (changed) refresh();
  }, [changed, refresh]);

  const filtered = Boolean(search || enabled || status || action);
  const jobs = data?.jobs;
  const newJob = (
    <>
      <DefinitionsButtons />
      <NewJobButton reason={write.reason} />
    </>
  );

  const sortBy = (field: JobOrderField) => (dir: SortDirection) => update({ sort: field === 'NAME' ? '' : field, dir: dir === 'asc' ? '' : dir });

  return (
    <>
      <PageHeader title="Jobs" description="Actions on a schedule, for their users and roles." actions={newJob} />
      <Card flush>
        <div className="flex flex-wrap items-end gap-3 border-b border-stone-100 px-4 py-3 dark:border-stone-800">
          <div className="relative min-w-56 flex-1">
            <SearchIcon className="pointer-events-none absolute top-1/2 left-3 z-10 size-4 -translate-y-1/2 text-stone-500 dark:text-stone-400" />
            <Input
              type="search"
              aria-label="Search jobs"
              placeholder="Search by name or action"
              inputClassName="pl-9"
              value={searchText}
              onChange={(event) => setSearchText(event.target.value)}
            />
          </div>
          <Select
            aria-label="Filter by state"
            value={enabled}
            onChange={(event) => update({ enabled: event.target.value })}
            options={[
              { value: '', label: 'Enabled and paused' },
              { value: 'true', label: 'Enabled' },
              { value: 'false', label: 'Paused' },
            ]}
          />
          <Select
            aria-label="Filter by last run"
            value={status}
            onChange={(event) => update({ status: event.target.value })}
            options={[{ value: '', label: 'Any last run' }, ...RUN_STATUSES.map((s) => ({ value: s, label: `Last run: ${RUN_STATUS[s].label}` }))]}
          />
          <Select
            aria-label="Filter by action"
            value={action}
            onChange={(event) => update({ action: event.target.value })}
            options={[{ value: '', label: 'Any action' }, ...(data?.actions ?? []).map((a) => ({ value: a.name, label: a.name }))]}
          />
        </div>

        {error && !data ? (
          <ErrorState title="Could not load the jobs" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !jobs ? (
          <SkeletonRows rows={8} columns={6} label="Loading jobs" />
        ) : jobs.totalCount === 0 && !filtered ? (
          <EmptyState icon={<ClockIcon />} title="No jobs yet" action={newJob}>
            A job runs one of this server's actions — on a cron schedule, every few minutes, once at a set time, or only
            when you press “Run now”. Pick the action, fill in its arguments, choose the users or roles it is for, and
            set when it runs.
          </EmptyState>
        ) : jobs.totalCount === 0 ? (
          <EmptyState icon={<SearchIcon />} title="No job matches these filters" action={<Button onClick={() => { setSearchText(''); update({ q: '', enabled: '', status: '', action: '' }); }}>Clear the filters</Button>}>
            Try another name, or look at all jobs.
          </EmptyState>
        ) : (
          <>
            <Table label="Jobs" className={fetching ? 'opacity-70 transition-opacity' : undefined}>
              <THead>
                <tr>
                  <SortableTh active={sort === 'NAME'} direction={direction} onSort={sortBy('NAME')}>
                    Name
                  </SortableTh>
                  <SortableTh className="hidden lg:table-cell" active={sort === 'ACTION'} direction={direction} onSort={sortBy('ACTION')}>
                    Action
                  </SortableTh>
                  <Th>Schedule</Th>
                  <SortableTh active={sort === 'NEXT_RUN_AT'} direction={direction} onSort={sortBy('NEXT_RUN_AT')}>
                    Next run
                  </SortableTh>
                  <Th>Last run</Th>
                  <Th>Enabled</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {jobs.edges.map(({ node }) => (
                  <JobRow key={node.id} job={node} />
                ))}
              </TBody>
            </Table>
            <PaginationFooter {...pages.pagination(jobs, 'jobs')} />
          </>
        )}
      </Card>
    </>
  );
}

function NewJobButton({ reason }: { reason: string | null }) {
  if (reason) {
    return (
      <Button variant="primary" icon={<PlusIcon />} disabledReason={reason}>
        New job
      </Button>
    );
  }
  return (
    <Link to="/jobs/new" className={buttonClass('primary')}>
      <PlusIcon />
      New job
    </Link>
  );
}
