// Every run, newest first, live: the runFeed subscription says a run changed and the page re-reads. Filters — job,
// who started it, status, trigger, a date range (in the viewer's zone) and text — live in the URL, parsed here
// against the allowed values; ?parent= narrows to one run's per-user children, ?causedBy= to the follow-ups one
// run's ending started, ?cause= (a job) to the follow-ups its runs started.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { JobSelect, useJobName } from '../components/pickers/JobSelect';
import { UserSelect } from '../components/pickers/UserSelect';
import { RunRow, RunTableHead } from '../components/runs/RunRow';
import { RUN_STATUS, RUN_STATUSES, RUN_TRIGGER_LABEL } from '../components/runs/runStatus';
import { Button } from '../components/ui/Button';
import { EmptyState } from '../components/ui/EmptyState';
import { ListIcon } from '../components/ui/icons';
import { Input } from '../components/ui/Input';
import { FilterBar, ListBody, ListPage } from '../components/ui/ListPage';
import { Select } from '../components/ui/Select';
import { TBody, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import type { RunFilter, RunTrigger } from '../gql/graphql';
import { fromZonedInput, zoneName } from '../lib/format';
import { useLiveFirstPage } from '../lib/useLiveRefresh';
import { useCursorPages } from '../lib/useCursorPages';
import { urlEnum, urlMatching, urlText, useUrlState, useUrlText } from '../lib/urlState';
import { z } from 'zod';

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
const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** The page's URL state, each value checked: an unknown status or a malformed date is dropped, not sent. */
const RunsPageUrl = z.object({
  status: urlEnum(RUN_STATUSES, ''),
  trigger: urlEnum(TRIGGERS, ''),
  job: urlText,
  user: urlText,
  parent: urlText,
  cause: urlText,
  causedBy: urlText,
  q: urlText,
  from: urlMatching(LOCAL_INPUT),
  to: urlMatching(LOCAL_INPUT),
});

// Module-level: urql re-runs a query whose context object changes, so it must not be rebuilt per render.
// The typenames make lists that may be empty refresh after a mutation creates the first item.
const CONTEXT = { additionalTypenames: ['Run'] };

export default function RunsPage() {
  const [state, update, setParams] = useUrlState(RunsPageUrl);

  const filter = useMemo<RunFilter>(
    () => ({
      status: state.status ? [state.status] : null,
      trigger: state.trigger ? [state.trigger] : null,
      jobId: state.job || null,
      startedById: state.user || null,
      parentRunId: state.parent || null,
      includeChildren: state.parent ? true : null,
      causedByJobId: state.cause || null,
      causedByRunId: state.causedBy || null,
      search: state.q || null,
      createdAfter: state.from ? fromZonedInput(state.from)?.toISOString() ?? null : null,
      createdBefore: state.to ? fromZonedInput(state.to)?.toISOString() ?? null : null,
    }),
    [state.status, state.trigger, state.job, state.user, state.parent, state.cause, state.causedBy, state.q, state.from, state.to],
  );
  const filterKey = JSON.stringify(filter);
  const pages = useCursorPages(PAGE_SIZE, filterKey);

  const query = useQuery({ query: RunsPageQuery, variables: { first: pages.first, after: pages.after, filter }, context: CONTEXT });
  const [{ data }, reexecute] = query;
  useLiveFirstPage(RunsPageFeed, pages.onFirstPage, reexecute);

  const set = (key: keyof typeof RunsPageUrl.shape, value: string) => update({ [key]: value });
  // The text filter follows typing after a pause, so each keystroke is not a request.
  const [search, setSearch] = useUrlText(state.q, (q) => set('q', q), 300);

  const filtered = Boolean(state.status || state.trigger || state.job || state.user || state.cause || state.causedBy || state.q || state.from || state.to);
  const jobName = useJobName(state.job);
  const zone = zoneName();

  return (
    <ListPage
      title="Runs"
      description={
        state.parent
          ? 'The per-user runs of one run, newest first. Updates live.'
          : state.causedBy
            ? 'The follow-up runs one run’s ending started, newest first. Updates live.'
            : jobName ? `Runs of ${jobName}, newest first. Updates live.` : 'Every run of every job, newest first. Updates live.'
      }
      filters={
        <FilterBar role="search" aria-label="Filter runs" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <Input className="col-span-2 lg:col-span-1" label="Search" type="search" placeholder="Run title or job name" value={search} onChange={(event) => setSearch(event.target.value)} />
          <JobSelect className="min-w-0" label="Job" placeholder="Any job" clearable value={state.job} onChange={(id) => set('job', id)} />
          <UserSelect className="min-w-0" label="Started by" placeholder="Anyone" clearable value={state.user} onChange={(id) => set('user', id)} />
          <JobSelect className="min-w-0" label="Caused by job" placeholder="Any cause" clearable value={state.cause} onChange={(id) => set('cause', id)} help="Follow-ups its runs started." />
          <Select
            className="min-w-0"
            label="Status"
            value={state.status ?? ''}
            onChange={(event) => set('status', event.target.value)}
            options={[{ value: '', label: 'Any status' }, ...RUN_STATUSES.map((s) => ({ value: s, label: RUN_STATUS[s].label }))]}
          />
          <Select
            className="min-w-0"
            label="Trigger"
            value={state.trigger ?? ''}
            onChange={(event) => set('trigger', event.target.value)}
            options={[{ value: '', label: 'Any trigger' }, ...TRIGGERS.map((t) => ({ value: t, label: RUN_TRIGGER_LABEL[t] }))]}
          />
          <Input className="col-span-2 sm:col-span-1" label={`Created from (${zone})`} type="datetime-local" value={state.from} onChange={(event) => set('from', event.target.value)} />
          <Input className="col-span-2 sm:col-span-1" label={`Created before (${zone})`} type="datetime-local" value={state.to} onChange={(event) => set('to', event.target.value)} />
          <div className="flex items-end">
            <Button
              disabled={!filtered}
              // The search box follows the URL (useUrlText), so emptying the URL empties it too.
              onClick={() => setParams(state.parent ? { parent: state.parent } : {})}
            >
              Clear filters
            </Button>
          </div>
        </FilterBar>
      }
    >
      <ListBody
        query={query}
        list={data?.runs}
        errorTitle="Could not load the runs"
        loading={{ rows: 10, columns: 6, label: 'Loading runs' }}
        filtered={filtered}
        empty={
          <EmptyState icon={<ListIcon />} title="No runs yet">
            Runs appear here when a job’s schedule comes round or someone presses “Run now” on a job.
          </EmptyState>
        }
        noMatch={
          <EmptyState icon={<ListIcon />} title="No run matches these filters">
            Try other filters, or clear them.
          </EmptyState>
        }
        pages={{ pages, noun: 'runs' }}
      >
        {(runs) => (
          <div tabIndex={0} className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-amber-500">
            <table aria-label="Runs" className="w-full text-left text-sm">
              <THead>
                <RunTableHead showJob />
              </THead>
              <TBody>
                {runs.edges.map(({ node }) => (
                  <RunRow key={node.id} run={node} job={node.job} showJob />
                ))}
              </TBody>
            </table>
          </div>
        )}
      </ListBody>
    </ListPage>
  );
}
