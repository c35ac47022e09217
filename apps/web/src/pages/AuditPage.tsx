// The audit log: every mutation as it was attempted, newest first. Filters live in the URL (shareable, back and
// forward work); text filters are applied once typing pauses. Pages by cursor.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { AUDIT_COLUMNS, AuditEventRow } from '../components/audit/AuditEventRow';
import { AUDIT_OUTCOME, AUDIT_OUTCOMES } from '../components/audit/auditOutcome';
import { PageHeader } from '../components/layout/PageHeader';
import { Button } from '../components/ui/Button';
import { Card } from '../components/ui/Card';
import { EmptyState } from '../components/ui/EmptyState';
import { ErrorState } from '../components/ui/ErrorState';
import { ScrollIcon, SearchIcon } from '../components/ui/icons';
import { Input } from '../components/ui/Input';
import { PaginationFooter } from '../components/ui/Pagination';
import { Select } from '../components/ui/Select';
import { SkeletonRows } from '../components/ui/Skeleton';
import { Table, TBody, Th, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import type { AuditEventFilter, AuditOutcome } from '../gql/graphql';
import { describeError } from '../lib/errors';
import { useCursorPages } from '../lib/useCursorPages';
import { useDebounced } from '../lib/useDebounced';

const AuditPageQuery = graphql(`
  query AuditPageQuery($first: Int!, $after: String, $filter: AuditEventFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...AuditEventRow_AuditEventFragment
        }
      }
    }
  }
`);

const PAGE_SIZE = 50;
// Module-level: urql re-runs a query whose context object changes. New events come from every mutation.
const CONTEXT = { additionalTypenames: ['AuditEvent'] };
const TEXT_FILTERS = ['actor', 'action', 'targetId'] as const;
const ALL_FILTERS = [...TEXT_FILTERS, 'targetType', 'outcome', 'from', 'to'] as const;
// The server names a target by the entity in the mutation's name; the filter matches exactly, so offer the names.
const TARGET_TYPES = [
  { value: 'job', label: 'Job' },
  { value: 'run', label: 'Run' },
  { value: 'user', label: 'User' },
  { value: 'role', label: 'Role' },
  { value: 'api_token', label: 'API token' },
  { value: 'session', label: 'Session' },
];

/** A `datetime-local` value (the browser's zone) as the instant the server expects; null when empty or invalid. */
function instant(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export default function AuditPage() {
  const [params, setParams] = useSearchParams();
  const value = (key: (typeof ALL_FILTERS)[number]) => params.get(key) ?? '';

  const update = (changes: Record<string, string>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, text] of Object.entries(changes)) {
          if (text) next.set(key, text);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );

  const outcome = value('outcome');
  const targetType = value('targetType');
  const from = value('from');
  const to = value('to');
  const texts = TEXT_FILTERS.map((key) => value(key));
  const filter = useMemo<AuditEventFilter>(() => {
    const [actor, action, targetId] = texts;
    return {
      actor: actor || null,
      action: action || null,
      targetType: targetType || null,
      targetId: targetId || null,
      outcome: outcome ? (outcome as AuditOutcome) : null,
      from: instant(from),
      to: instant(to),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `texts` is a new array each render; its items are the dependencies
  }, [...texts, targetType, outcome, from, to]);
  const filterKey = JSON.stringify(filter);
  const pages = useCursorPages(PAGE_SIZE, filterKey);

  const [{ data, error, fetching }, reexecute] = useQuery({
    query: AuditPageQuery,
    variables: { first: pages.first, after: pages.after, filter },
    context: CONTEXT,
    requestPolicy: 'cache-and-network',
  });

  const filtered = ALL_FILTERS.some((key) => params.get(key));
  const [resetKey, setResetKey] = useState(0);
  const clear = () => {
    update(Object.fromEntries(ALL_FILTERS.map((key) => [key, ''])));
    setResetKey((key) => key + 1);
  };
  const events = data?.auditEvents;

  return (
    <>
      <PageHeader title="Audit log" description="Every change attempted through the API — who, from where, to what, and whether it was allowed. Newest first; secrets are redacted." />
      <Card flush>
        <div key={resetKey} className="grid grid-cols-2 gap-3 border-b border-stone-100 px-4 py-3 md:grid-cols-4 dark:border-stone-800">
          <TextFilter label="Actor" placeholder="E-mail or token name" initial={texts[0]!} onSettle={(text) => update({ actor: text })} />
          <TextFilter label="Action" placeholder="e.g. createJob" initial={texts[1]!} onSettle={(text) => update({ action: text })} />
          <Select
            label="Target type"
            value={targetType}
            onChange={(event) => update({ targetType: event.target.value })}
            options={[{ value: '', label: 'Any target' }, ...TARGET_TYPES]}
          />
          <TextFilter label="Target id" placeholder="A job, run, user… id" initial={texts[2]!} onSettle={(text) => update({ targetId: text })} />
          <Select
            label="Outcome"
            value={outcome}
            onChange={(event) => update({ outcome: event.target.value })}
            options={[{ value: '', label: 'Any outcome' }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: AUDIT_OUTCOME[o].label }))]}
          />
          <Input label="From" type="datetime-local" value={from} onChange={(event) => update({ from: event.target.value })} />
          <Input label="To" type="datetime-local" value={to} onChange={(event) => update({ to: event.target.value })} />
          <div className="flex items-end">
            {filtered && (
              <Button variant="ghost" onClick={clear}>
                Clear the filters
              </Button>
            )}
          </div>
        </div>

        {error && !data ? (
          <ErrorState title="Could not load the audit log" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !events ? (
          <SkeletonRows rows={10} columns={AUDIT_COLUMNS} label="Loading audit events" />
        ) : events.totalCount === 0 && !filtered ? (
          <EmptyState icon={<ScrollIcon />} title="Nothing audited yet">
            Each mutation — creating a job, running one, changing a user or a role, signing in with a token — is
            recorded here as it is attempted, with its actor, address, target and outcome, including the ones that
            were refused.
          </EmptyState>
        ) : events.totalCount === 0 ? (
          <EmptyState icon={<SearchIcon />} title="No event matches these filters" action={<Button onClick={clear}>Clear the filters</Button>}>
            Actions are exact mutation names (e.g. <code>updateJob</code>); the actor matches any part of an e-mail or token name.
          </EmptyState>
        ) : (
          <>
            <Table label="Audit events" className={fetching ? 'opacity-70 transition-opacity' : undefined}>
              <THead>
                <tr>
                  <Th className="w-10 pr-0">
                    <span className="sr-only">Details</span>
                  </Th>
                  <Th>Time</Th>
                  <Th>Actor</Th>
                  <Th>Action</Th>
                  <Th>Target</Th>
                  <Th>Outcome</Th>
                </tr>
              </THead>
              <TBody>
                {events.edges.map(({ node }) => (
                  <AuditEventRow key={node.id} event={node} />
                ))}
              </TBody>
            </Table>
            <PaginationFooter {...pages.pagination(events, 'events')} />
          </>
        )}
      </Card>
    </>
  );
}

/** A text filter that types freely and tells the page once typing has paused. */
function TextFilter({ label, placeholder, initial, onSettle }: { label: string; placeholder: string; initial: string; onSettle: (text: string) => void }) {
  const [text, setText] = useState(initial);
  const settled = useDebounced(text.trim(), 300);
  useEffect(() => {
    if (settled !== initial) onSettle(settled);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reports a newly settled text once; a new onSettle each render must not re-report it
  }, [settled]);
  return <Input type="search" label={label} placeholder={placeholder} value={text} onChange={(event) => setText(event.target.value)} />;
}
