// Pause a job until a given time: Sundial disables it now and enables it again then. The time is typed in the
// browser's zone (the label says which) and sent as an ISO string with that zone's offset.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { browserTimeZone } from '../../lib/format';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { useToast } from '../ui/Toasts';

const PauseJobUntilMutation = graphql(`
  mutation PauseJobUntilMutation($id: ID!, $until: DateTime!) {
    pauseJobUntil(id: $id, until: $until) {
      __typename
      ... on MutationPauseJobUntilSuccess {
        job {
          id
          enabled
          pausedUntil
          nextRunAt
          disabledReason
        }
      }
      ...MutationError
    }
  }
`);

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-24T08:00" read in the browser's zone → "2026-12-24T08:00:00+01:00"; null when not a time. */
export function localToIsoWithOffset(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Tomorrow at 09:00 local, as a datetime-local value: a sensible first suggestion. */
function tomorrowMorning(): string {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T09:00`;
}

export function PauseUntilDialog({ job, open, onClose }: { job: { id: string; name: string }; open: boolean; onClose: () => void }) {
  const [until, setUntil] = useState(tomorrowMorning);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [{ fetching }, pause] = useMutation(PauseJobUntilMutation);
  const toast = useToast();
  const zone = browserTimeZone();
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const iso = localToIsoWithOffset(until);
    if (!iso) {
      setRefusal({ message: 'Some fields need a change.', fieldErrors: [{ field: 'until', message: 'enter a date and a time' }] });
      return;
    }
    setRefusal(null);
    const outcome = outcomeOf(await pause({ id: job.id, until: iso }), (data) => data.pauseJobUntil);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    toast({ title: 'Job paused', description: `${job.name} resumes by itself at the time given.` });
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!fetching}
      size="sm"
      title={`Pause “${job.name}” until…`}
      description="No scheduled runs until then; the job is enabled again by itself. Resuming or pausing it by hand ends this."
      footer={
        <>
          <Button onClick={onClose} disabled={fetching}>
            Cancel
          </Button>
          <Button type="submit" form="pause-until-form" variant="primary" loading={fetching}>
            Pause until then
          </Button>
        </>
      }
    >
      <form id="pause-until-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && !errors.until && <Alert title="The job was not paused">{refusal.message}</Alert>}
        <Input
          label={`Until (${zone})`}
          type="datetime-local"
          required
          value={until}
          onChange={(event) => setUntil(event.target.value)}
          error={errors.until}
          help={`Read in your browser's timezone, ${zone}.`}
        />
      </form>
    </Dialog>
  );
}
