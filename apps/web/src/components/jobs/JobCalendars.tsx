// The job page's "Calendars" card: the calendars the job attaches — run only inside their windows, or never
// inside them — and its blackout policy (a ruled-out slot is skipped, or moved to the end of the window). Editing
// replaces them all at once (setJobCalendars).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { BlackoutPolicy, CalendarMode } from '../../gql/graphql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Badge } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { CalendarsEditor, calendarsInput, calendarsProblems, draftFromCalendars, type CalendarsDraft } from './CalendarsEditor';
import { Dialog } from '../ui/Dialog';
import { PencilIcon } from '../ui/icons';
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

function JobCalendarsDialog({
  job,
  onClose,
}: {
  job: { id: string; name: string; blackoutPolicy: BlackoutPolicy; calendars: readonly { mode: CalendarMode; calendar: { id: string } }[] };
  onClose: () => void;
}) {
  const [draft, setDraft] = useState<CalendarsDraft>(() => draftFromCalendars(job));
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [{ fetching: saving }, save] = useMutation(SetJobCalendarsMutation);
  const toast = useToast();
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = calendarsProblems(draft);
    if (problems.length > 0) {
      setRefusal({ message: 'Choose a calendar for each row, or detach it.', fieldErrors: problems });
      return;
    }
    setRefusal(null);
    const outcome = outcomeOf(await save({ jobId: job.id, input: calendarsInput(draft) }), (result) => result.setJobCalendars);
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
        <CalendarsEditor draft={draft} onChange={setDraft} errors={errors} />
        <p className="text-sm text-stone-500 dark:text-stone-400">
          Calendars are made on the <Link to="/calendars" className="underline">Calendars</Link> page.
        </p>
      </form>
    </Dialog>
  );
}
