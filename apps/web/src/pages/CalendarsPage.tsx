// Calendars: named sets of time windows that jobs attach to run only inside them or never inside them; a calendar
// may black out every job. Changing them needs JOBS_WRITE; deleting one that jobs still attach is refused.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CalendarDialog, type EditableCalendar } from '../components/calendars/CalendarDialog';
import { Badge } from '../components/ui/Badge';
import { Button } from '../components/ui/Button';
import { ConfirmDialog } from '../components/ui/ConfirmDialog';
import { DropdownMenu } from '../components/ui/DropdownMenu';
import { EmptyState } from '../components/ui/EmptyState';
import { CalendarIcon, DotsIcon, PencilIcon, PlusIcon, TrashIcon } from '../components/ui/icons';
import { ListBody, ListPage } from '../components/ui/ListPage';
import { ActionsTh, Table, TBody, Td, Th, THead, Tr } from '../components/ui/Table';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import { outcomeOf } from '../lib/mutationResult';
import { usePermission } from '../lib/viewer';

const CalendarsPageQuery = graphql(`
  query CalendarsPageQuery {
    calendars {
      id
      name
      description
      timezone
      blackoutForAllJobs
      jobCount
      entries {
        kind
        label
        days
        startTime
        endTime
        from
        to
        month
        day
      }
    }
  }
`);

const DeleteCalendarMutation = graphql(`
  mutation DeleteCalendarMutation($id: ID!) {
    deleteCalendar(id: $id) {
      __typename
      ... on MutationDeleteCalendarSuccess {
        deletedCalendarId
      }
      ...MutationError
    }
  }
`);

// Module-level: urql re-runs a query whose context object changes. The typename refreshes an empty list after
// the first calendar is created.
const CONTEXT = { additionalTypenames: ['Calendar'] };

export default function CalendarsPage() {
  const query = useQuery({ query: CalendarsPageQuery, context: CONTEXT });
  const [{ data }] = query;
  const [editing, setEditing] = useState<EditableCalendar | 'new' | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string; jobCount: number } | null>(null);
  const [, deleteCalendar] = useMutation(DeleteCalendarMutation);
  const write = usePermission('JOBS_WRITE');
  const toast = useToast();
  const create = (
    <Button
      variant="primary"
      icon={<PlusIcon />}
      onClick={() => setEditing('new')}
      disabledReason={write.reason}
    >
      New calendar
    </Button>
  );

  return (
    <>
      <ListPage
        title="Calendars"
        description="Time windows jobs run only inside, or never inside (nights, weekends, holidays, a change freeze)."
        actions={create}
      >
        <ListBody
          query={query}
          list={data?.calendars}
          errorTitle="Could not load the calendars"
          loading={{ rows: 3, columns: 4, label: 'Loading calendars' }}
          empty={
            <EmptyState icon={<CalendarIcon />} title="No calendars" action={write.allowed ? create : undefined}>
              A calendar holds date ranges, weekly windows and yearly dates in one timezone; jobs attach it.
            </EmptyState>
          }
        >
          {(calendars) => (
            <Table label="Calendars">
              <THead>
                <tr>
                  <Th>Calendar</Th>
                  <Th>Timezone</Th>
                  <Th>Entries</Th>
                  <Th>Jobs</Th>
                  <ActionsTh />
                </tr>
              </THead>
              <TBody>
                {calendars.map((calendar) => (
                  <Tr key={calendar.id} aria-label={`Calendar ${calendar.name}`}>
                    <Td className="max-w-72">
                      <div className="flex flex-wrap items-center gap-2 font-medium">
                        {calendar.name}
                        {calendar.blackoutForAllJobs && <Badge tone="warning">Blackout for all jobs</Badge>}
                      </div>
                      {calendar.description && <div className="text-xs text-stone-500 dark:text-stone-400">{calendar.description}</div>}
                    </Td>
                    <Td className="font-mono text-xs">{calendar.timezone}</Td>
                    <Td>{calendar.entries.length === 1 ? '1 entry' : `${calendar.entries.length} entries`}</Td>
                    <Td>{calendar.blackoutForAllJobs ? 'All' : calendar.jobCount}</Td>
                    <Td className="w-12 text-right">
                      {write.allowed && (
                        <DropdownMenu
                          label={`Actions for ${calendar.name}`}
                          trigger={<DotsIcon className="size-5" />}
                          items={[
                            { label: 'Edit', icon: <PencilIcon />, onSelect: () => setEditing(calendar) },
                            { label: 'Delete', icon: <TrashIcon />, tone: 'danger' as const, onSelect: () => setDeleting(calendar) },
                          ]}
                        />
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </ListBody>
      </ListPage>
      {editing && (
        <CalendarDialog
          key={editing === 'new' ? 'new' : editing.id}
          open
          calendar={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete calendar ${deleting?.name ?? ''}?`}
        confirmLabel="Delete calendar"
        onConfirm={async () => {
          if (!deleting) return;
          const outcome = outcomeOf(await deleteCalendar({ id: deleting.id }, CONTEXT), (result) => result.deleteCalendar);
          if (!outcome.ok) return outcome.message;
          toast({ title: 'Calendar deleted', description: deleting.name });
        }}
      >
        <p>
          {deleting && deleting.jobCount > 0
            ? `${deleting.jobCount === 1 ? 'One job attaches' : `${deleting.jobCount} jobs attach`} it: detach it from them first.`
            : 'No job attaches it. This cannot be undone.'}
        </p>
      </ConfirmDialog>
    </>
  );
}
