// The job page's "Calendars" card: the calendars the job attaches — run only inside their windows, or never
// inside them — and its blackout policy (a ruled-out slot is skipped, or moved to the end of the window). Editing
// replaces them all at once (setJobCalendars).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { BlackoutPolicy, CalendarMode } from '../../gql/graphql';
import { describeError, fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { Dialog } from '../ui/Dialog';
import { ErrorState } from '../ui/ErrorState';
import { PencilIcon, PlusIcon, TrashIcon } from '../ui/icons';
import { Select } from '../ui/Select';
import { Skeleton } from '../ui/Skeleton';
import { useToast } from '../ui/Toasts';

export const JobCalendars_JobFragment = graphql(`
  fragment JobCalendars_JobFragment on Job {
    id
    name
    viewerCanEdit
    blackoutPolicy
    calendars {
      mode
      calendar {
        id
        name
        timezone
      }
    }
  }
`);

const CalendarChoicesQuery = graphql(`
  query CalendarChoicesQuery {
    calendars {
      id
      name
      timezone
      blackoutForAllJobs
    }
  }
`);

const SetJobCalendarsMutation = graphql(`
  mutation SetJobCalendarsMutation($jobId: ID!, $input: JobCalendarsInput!) {
    setJobCalendars(jobId: $jobId, input: $input) {
      __typename
      ... on MutationSetJobCalendarsSuccess {
        job {
          id
          nextRunAt
          ...JobCalendars_JobFragment
        }
      }
      ...MutationError
    }
  }
`);

const MODES: { value: CalendarMode; label: string }[] = [
  { value: 'NEVER_INSIDE', label: 'Never inside' },
  { value: 'ONLY_INSIDE', label: 'Only inside' },
];

const POLICIES: { value: BlackoutPolicy; label: string }[] = [
  { value: 'SKIP', label: 'Skip: record a skipped run' },
  { value: 'MOVE', label: 'Move: run once at the end of the window' },
];

const MODE_LABEL: Record<CalendarMode, string> = { NEVER_INSIDE: 'never inside', ONLY_INSIDE: 'only inside' };

export function JobCalendars({ job: jobRef }: { job: FragmentType<typeof JobCalendars_JobFragment> }) {
  const job = useFragment(JobCalendars_JobFragment, jobRef);
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="Calendars"
      description={`Scheduled slots a calendar rules out are ${job.blackoutPolicy === 'MOVE' ? 'moved to the end of the window' : 'skipped'}.`}
      actions={
        job.viewerCanEdit && (
          <Button size="sm" icon={<PencilIcon />} onClick={() => setEditing(true)} aria-label="Edit calendars">
            Edit
          </Button>
        )
      }
    >
      {job.calendars.length === 0 ? (
        <p className="text-sm text-stone-500 dark:text-stone-400">None attached: the job runs at every slot (a blackout for all jobs still applies).</p>
      ) : (
        <ul className="flex flex-col gap-2 text-sm" aria-label="Attached calendars">
          {job.calendars.map(({ mode, calendar }) => (
            <li key={calendar.id} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{calendar.name}</span>
              <Badge tone={mode === 'NEVER_INSIDE' ? 'warning' : 'info'}>{MODE_LABEL[mode]}</Badge>
              <span className="font-mono text-xs text-stone-500 dark:text-stone-400">{calendar.timezone}</span>
            </li>
          ))}
        </ul>
      )}
      {editing && <JobCalendarsDialog job={job} onClose={() => setEditing(false)} />}
    </Card>
  );
}

interface Row {
  calendarId: string;
  mode: CalendarMode;
}

function JobCalendarsDialog({
  job,
  onClose,
}: {
  job: { id: string; name: string; blackoutPolicy: BlackoutPolicy; calendars: readonly { mode: CalendarMode; calendar: { id: string } }[] };
  onClose: () => void;
}) {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: CalendarChoicesQuery, requestPolicy: 'cache-and-network' });
  const [rows, setRows] = useState<Row[]>(job.calendars.map(({ mode, calendar }) => ({ calendarId: calendar.id, mode })));
  const [policy, setPolicy] = useState<BlackoutPolicy>(job.blackoutPolicy);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [{ fetching: saving }, save] = useMutation(SetJobCalendarsMutation);
  const toast = useToast();
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);
  const choices = (data?.calendars ?? []).filter((calendar) => !calendar.blackoutForAllJobs);
  const options = [{ value: '', label: 'Choose a calendar', disabled: true }, ...choices.map((calendar) => ({ value: calendar.id, label: `${calendar.name} (${calendar.timezone})` }))];

  const setRow = (index: number, patch: Partial<Row>) => setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(null);
    const outcome = outcomeOf(await save({ jobId: job.id, input: { blackoutPolicy: policy, calendars: rows } }), (result) => result.setJobCalendars);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    toast({ title: 'Calendars saved', description: job.name });
    onClose();
  };

  return (
    <Dialog
      open
      onClose={onClose}
      dismissible={!saving}
      title={`Calendars of “${job.name}”`}
      description="Only inside: scheduled slots run inside the calendar's windows only. Never inside: not inside them (a blackout)."
      footer={
        <>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form="job-calendars-form" variant="primary" loading={saving}>
            Save calendars
          </Button>
        </>
      }
    >
      <form id="job-calendars-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && <Alert title="The calendars were not saved">{refusal.message}</Alert>}
        {error && !data ? (
          <ErrorState title="Could not load the calendars" message={describeError(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} retrying={fetching} />
        ) : !data ? (
          <Skeleton className="h-20 rounded-lg" />
        ) : (
          <>
            {choices.length === 0 && (
              <p className="text-sm text-stone-500 dark:text-stone-400">
                There are no calendars to attach yet. <Link to="/calendars" className="underline">Create one</Link>.
              </p>
            )}
            {errors.calendars && <p className="text-sm text-red-600 dark:text-red-400">{errors.calendars}</p>}
            {rows.map((row, index) => (
              <fieldset key={index} aria-label={`Attached calendar ${index + 1}`} className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end">
                <Select
                  label={`Calendar ${index + 1}`}
                  options={options}
                  value={row.calendarId}
                  onChange={(event) => setRow(index, { calendarId: event.target.value })}
                  error={errors[`calendars[${index}].calendarId`]}
                />
                <Select label="Mode" options={MODES} value={row.mode} onChange={(event) => setRow(index, { mode: event.target.value as CalendarMode })} error={errors[`calendars[${index}].mode`]} />
                <Button variant="ghost" icon={<TrashIcon />} aria-label={`Detach calendar ${index + 1}`} onClick={() => setRows((current) => current.filter((_, i) => i !== index))}>
                  Detach
                </Button>
              </fieldset>
            ))}
            {choices.length > 0 && (
              <div>
                <Button size="sm" icon={<PlusIcon />} onClick={() => setRows((current) => [...current, { calendarId: choices[0]?.id ?? '', mode: 'NEVER_INSIDE' }])}>
                  Attach a calendar
                </Button>
              </div>
            )}
            <Select
              label="Blackout policy"
              options={POLICIES}
              value={policy}
              onChange={(event) => setPolicy(event.target.value as BlackoutPolicy)}
              error={errors.blackoutPolicy}
              help="What a slot the calendars rule out becomes."
            />
          </>
        )}
      </form>
    </Dialog>
  );
}
