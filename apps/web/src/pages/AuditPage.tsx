// The audit log: every mutation as it was attempted, newest first. Filters live in the URL (shareable, back and
// forward work), parsed by one zod schema; text filters are applied once typing pauses. Pages by cursor.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { z } from 'zod';
import { AUDIT_COLUMNS, AuditEventRow } from '../components/audit/AuditEventRow';
import { AUDIT_OUTCOME, AUDIT_OUTCOMES } from '../components/audit/auditOutcome';
import { Button } from '../components/ui/Button';
import { EmptyState } from '../components/ui/EmptyState';
import { ScrollIcon } from '../components/ui/icons';
import { Input } from '../components/ui/Input';
import { FilterBar, ListBody, ListPage, NoMatchState } from '../components/ui/ListPage';
import { Select } from '../components/ui/Select';
import { Table, TBody, Th, THead } from '../components/ui/Table';
import { graphql } from '../gql';
import type { AuditEventFilter } from '../gql/graphql';
import { useCursorPages } from '../lib/useCursorPages';
import { urlEnum, urlMatching, urlText, useUrlState, useUrlText } from '../lib/urlState';

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
// The server names a target by the entity in the mutation's name; the filter matches exactly, so offer the names.
const TARGET_TYPES = [
  { value: 'job', label: 'Job' },
  { value: 'run', label: 'Run' },
  { value: 'user', label: 'User' },
  { value: 'role', label: 'Role' },
  { value: 'api_token', label: 'API token' },
  { value: 'session', label: 'Session' },
] as const;
/** What a `datetime-local` box gives (seconds when the browser adds them). */
const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * The page's URL: ?actor=&action=&targetType=&targetId=&outcome=&from=&to=, each checked (an unknown target type
 * or outcome, a malformed date, is its default). The log has one order (newest first) and pages by cursor, so
 * neither is in the URL.
 */
const AuditPageUrl = z.object({
  actor: urlText,
  action: urlText,
  targetType: urlEnum(TARGET_TYPES.map((type) => type.value), ''),
  targetId: urlText,
  outcome: urlEnum(AUDIT_OUTCOMES, ''),
  from: urlMatching(LOCAL_INPUT),
  to: urlMatching(LOCAL_INPUT),
});
const NO_FILTERS = { actor: '', action: '', targetType: '', targetId: '', outcome: '', from: '', to: '' } as const;

/** A `datetime-local` value (the browser's zone) as the instant the server expects; null when empty or invalid. */
function instant(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export default function AuditPage() {
  const [state, setUrl] = useUrlState(AuditPageUrl);
  const update = (changes: Parameters<typeof setUrl>[0]) => setUrl(changes, { replace: true });
  const { actor, action, targetType, targetId, outcome, from, to } = state;
  // Text filters are applied once typing pauses, so each keystroke is not a request.
  const [actorText, setActorText] = useUrlText(actor, (text) => update({ actor: text }), 300);
  const [actionText, setActionText] = useUrlText(action, (text) => update({ action: text }), 300);
  const [targetIdText, setTargetIdText] = useUrlText(targetId, (text) => update({ targetId: text }), 300);

  const filter = useMemo<AuditEventFilter>(
    () => ({
      actor: actor || null,
      action: action || null,
      targetType: targetType || null,
      targetId: targetId || null,
      outcome: outcome || null,
      from: instant(from),
      to: instant(to),
    }),
    [actor, action, targetType, targetId, outcome, from, to],
  );
  const filterKey = JSON.stringify(filter);
  const pages = useCursorPages(PAGE_SIZE, filterKey);

  const query = useQuery({
    query: AuditPageQuery,
    variables: { first: pages.first, after: pages.after, filter },
    context: CONTEXT,
    requestPolicy: 'cache-and-network',
  });
  const [{ data, fetching }] = query;

  const filtered = Object.values(state).some(Boolean);
  const clear = () => update(NO_FILTERS);

  return (
    <ListPage
      title="Audit log"
      description="Every change attempted through the API — who, from where, to what, and whether it was allowed. Newest first; secrets are redacted."
      filters={
        <FilterBar className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Input type="search" label="Actor" placeholder="E-mail or token name" value={actorText} onChange={(event) => setActorText(event.target.value)} />
          <Input type="search" label="Action" placeholder="e.g. createJob" value={actionText} onChange={(event) => setActionText(event.target.value)} />
          <Select
            label="Target type"
            value={targetType}
            onChange={(event) => update({ targetType: event.target.value })}
            options={[{ value: '', label: 'Any target' }, ...TARGET_TYPES]}
          />
          <Input type="search" label="Target id" placeholder="A job, run, user… id" value={targetIdText} onChange={(event) => setTargetIdText(event.target.value)} />
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
        </FilterBar>
      }
    >
      <ListBody
        query={query}
        list={data?.auditEvents}
        errorTitle="Could not load the audit log"
        loading={{ rows: 10, columns: AUDIT_COLUMNS, label: 'Loading audit events' }}
        filtered={filtered}
        empty={
          <EmptyState icon={<ScrollIcon />} title="Nothing audited yet">
            Each mutation — creating a job, running one, changing a user or a role, signing in with a token — is
            recorded here as it is attempted, with its actor, address, target and outcome, including the ones that
            were refused.
          </EmptyState>
        }
        noMatch={
          <NoMatchState title="No event matches these filters" onClear={clear}>
            Actions are exact mutation names (e.g. <code>updateJob</code>); the actor matches any part of an e-mail or token name.
          </NoMatchState>
        }
        pages={{ pages, noun: 'events' }}
      >
        {(events) => (
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
        )}
      </ListBody>
    </ListPage>
  );
}
