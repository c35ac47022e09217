// All jobs: search, filters and sort live in the URL (shareable, back/forward work); pages by cursor. Live: the
// jobsFeed subscription says a job or one of its runs changed, and the page re-reads (coalesced).
import { useMemo } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { useQuery } from 'urql';
import { DefinitionsButtons } from '../components/jobs/DefinitionsButtons';
import { JobRow } from '../components/jobs/JobRow';
import { RUN_STATUS, RUN_STATUSES } from '../components/runs/runStatus';
import { Button, buttonClass } from '../components/ui/Button';
import { EmptyState } from '../components/ui/EmptyState';
import { ClockIcon, PlusIcon } from '../components/ui/icons';
import { FilterBar, ListBody, ListPage, NoMatchState, SearchField } from '../components/ui/ListPage';
import { Select } from '../components/ui/Select';
import { ActionsTh, SortableTh, Table, TBody, Th, THead, type SortDirection } from '../components/ui/Table';
import { graphql } from '../gql';
import type { JobFilter, JobOrderField } from '../gql/graphql';
import { usePermission } from '../lib/viewer';
import { useCursorPages } from '../lib/useCursorPages';
import { useLiveFirstPage } from '../lib/useLiveRefresh';
import { urlEnum, urlText, useUrlState, useUrlText } from '../lib/urlState';

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
  const write = usePermission('JOBS_WRITE');

  const update = (changes: Parameters<typeof setUrl>[0]) => setUrl(changes, { replace: true });
  const [searchText, setSearchText] = useUrlText(search, (q) => update({ q }), 250);

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

  const query = useQuery({
    query: JobsPageQuery,
    variables: { first: pages.first, after: pages.after, filter, orderBy: { field: sort, direction: direction === 'asc' ? 'ASC' : 'DESC' } },
    context: CONTEXT,
  });
  const [{ data, fetching }, reexecute] = query;
  useLiveFirstPage(JobsPageFeed, pages.onFirstPage, reexecute);

  const filtered = Boolean(search || enabled || status || action);
  const newJob = (
    <>
      <DefinitionsButtons />
      <NewJobButton reason={write.reason} />
    </>
  );

  const sortBy = (field: JobOrderField) => (dir: SortDirection) => update({ sort: field === 'NAME' ? '' : field, dir: dir === 'asc' ? '' : dir });

  return (
    <ListPage
      title="Jobs"
      description="Actions on a schedule, for their users and roles."
      actions={newJob}
      filters={
        <FilterBar className="flex flex-wrap items-end gap-3">
          <SearchField className="min-w-56 flex-1" label="Search jobs" placeholder="Search by name or action" value={searchText} onChange={setSearchText} />
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
        </FilterBar>
      }
    >
      <ListBody
        query={query}
        list={data?.jobs}
        errorTitle="Could not load the jobs"
        loading={{ rows: 8, columns: 6, label: 'Loading jobs' }}
        filtered={filtered}
        empty={
          <EmptyState icon={<ClockIcon />} title="No jobs yet" action={newJob}>
            A job runs one of this server's actions — on a cron schedule, every few minutes, once at a set time, or only
            when you press “Run now”. Pick the action, fill in its arguments, choose the users or roles it is for, and
            set when it runs.
          </EmptyState>
        }
        noMatch={
          <NoMatchState title="No job matches these filters" onClear={() => update({ q: '', enabled: '', status: '', action: '' })}>
            Try another name, or look at all jobs.
          </NoMatchState>
        }
        pages={{ pages, noun: 'jobs' }}
      >
        {(jobs) => (
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
                <ActionsTh />
              </tr>
            </THead>
            <TBody>
              {jobs.edges.map(({ node }) => (
                <JobRow key={node.id} job={node} />
              ))}
            </TBody>
          </Table>
        )}
      </ListBody>
    </ListPage>
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
