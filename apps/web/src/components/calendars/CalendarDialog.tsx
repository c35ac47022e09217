// Create or edit a calendar: its name, timezone, whether it blacks out every job, and its entries — date ranges,
// weekly windows and yearly dates, read in the calendar's timezone. The server checks the entries; its field
// errors (entries[1].endTime) are shown at the field they name.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { CalendarEntryInput, CalendarEntryKind, CalendarInput, Weekday } from '../../gql/graphql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { outcomeOf } from '../../lib/mutationResult';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Checkbox } from '../ui/Checkbox';
import { Dialog } from '../ui/Dialog';
import { Input } from '../ui/Input';
import { Select } from '../ui/Select';
import { TimezonePicker } from '../ui/TimezonePicker';
import { PlusIcon, TrashIcon } from '../ui/icons';
import { useToast } from '../ui/Toasts';

const CreateCalendarMutation = graphql(`
  mutation CreateCalendarMutation($input: CalendarInput!) {
    createCalendar(input: $input) {
      __typename
      ... on MutationCreateCalendarSuccess {
        calendar {
          id
          name
        }
      }
      ...MutationError
    }
  }
`);

const UpdateCalendarMutation = graphql(`
  mutation UpdateCalendarMutation($id: ID!, $input: CalendarInput!) {
    updateCalendar(id: $id, input: $input) {
      __typename
      ... on MutationUpdateCalendarSuccess {
        calendar {
          id
          name
          description
          timezone
          blackoutForAllJobs
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
      ...MutationError
    }
  }
`);

export interface EditableCalendar {
  id: string;
  name: string;
  description: string;
  timezone: string;
  blackoutForAllJobs: boolean;
  entries: readonly {
    kind: CalendarEntryKind;
    label?: string | null;
    days?: readonly Weekday[] | null;
    startTime?: string | null;
    endTime?: string | null;
    from?: string | null;
    to?: string | null;
    month?: number | null;
    day?: number | null;
  }[];
}

interface EntryDraft {
  kind: CalendarEntryKind;
  label: string;
  days: Weekday[];
  startTime: string;
  endTime: string;
  from: string;
  to: string;
  month: string;
  day: string;
}

const WEEKDAYS: { value: Weekday; label: string }[] = [
  { value: 'MON', label: 'Mon' },
  { value: 'TUE', label: 'Tue' },
  { value: 'WED', label: 'Wed' },
  { value: 'THU', label: 'Thu' },
  { value: 'FRI', label: 'Fri' },
  { value: 'SAT', label: 'Sat' },
  { value: 'SUN', label: 'Sun' },
];

const KINDS: { value: CalendarEntryKind; label: string }[] = [
  { value: 'WEEKLY', label: 'Weekly window' },
  { value: 'DATE_RANGE', label: 'Date range' },
  { value: 'YEARLY', label: 'Yearly date' },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function blankEntry(kind: CalendarEntryKind = 'WEEKLY'): EntryDraft {
  return { kind, label: '', days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startTime: '09:00', endTime: '17:00', from: '', to: '', month: '1', day: '1' };
}

function draftOf(entry: EditableCalendar['entries'][number]): EntryDraft {
  return {
    kind: entry.kind,
    label: entry.label ?? '',
    days: [...(entry.days ?? [])],
    startTime: entry.startTime ?? '',
    endTime: entry.endTime ?? '',
    from: entry.from ?? '',
    to: entry.to ?? '',
    month: entry.month ? String(entry.month) : '1',
    day: entry.day ? String(entry.day) : '1',
  };
}

/** Only the fields of the entry's kind; empty texts left out so the server names what is missing. */
function entryInput(entry: EntryDraft): CalendarEntryInput {
  const label = entry.label.trim() || null;
  switch (entry.kind) {
    case 'WEEKLY':
      return { kind: 'WEEKLY', label, days: WEEKDAYS.map((d) => d.value).filter((d) => entry.days.includes(d)), startTime: entry.startTime || null, endTime: entry.endTime || null };
    case 'DATE_RANGE':
      return { kind: 'DATE_RANGE', label, from: entry.from || null, to: entry.to || null };
    case 'YEARLY':
      return { kind: 'YEARLY', label, month: Number(entry.month), day: entry.day.trim() === '' ? null : Number(entry.day) };
  }
}

export function CalendarDialog({ calendar, open, onClose }: { calendar: EditableCalendar | null; open: boolean; onClose: () => void }) {
  const [name, setName] = useState(calendar?.name ?? '');
  const [description, setDescription] = useState(calendar?.description ?? '');
  const [timezone, setTimezone] = useState(calendar?.timezone ?? 'UTC');
  const [blackoutForAllJobs, setBlackoutForAllJobs] = useState(calendar?.blackoutForAllJobs ?? false);
  const [entries, setEntries] = useState<EntryDraft[]>(calendar ? calendar.entries.map(draftOf) : [blankEntry()]);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [, createCalendar] = useMutation(CreateCalendarMutation);
  const [, updateCalendar] = useMutation(UpdateCalendarMutation);
  const toast = useToast();
  const errors = fieldErrorMap(refusal?.fieldErrors ?? []);
  const shown = new Set(['name', 'description', 'timezone', 'entries', ...entries.flatMap((_, i) => ENTRY_FIELDS.map((f) => `entries[${i}].${f}`)), ...entries.map((_, i) => `entries[${i}]`)]);
  const otherErrors = (refusal?.fieldErrors ?? []).filter((error) => !shown.has(error.field));

  const setEntry = (index: number, patch: Partial<EntryDraft>) => setEntries((current) => current.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setRefusal(null);
    const input: CalendarInput = { name: name.trim(), description: description.trim(), timezone, blackoutForAllJobs, entries: entries.map(entryInput) };
    const outcome = calendar
      ? outcomeOf(await updateCalendar({ id: calendar.id, input }), (data) => data.updateCalendar)
      : outcomeOf(await createCalendar({ input }, { additionalTypenames: ['Calendar'] }), (data) => data.createCalendar);
    setSaving(false);
    if (!outcome.ok) {
      setRefusal({ message: outcome.message, fieldErrors: outcome.fieldErrors });
      return;
    }
    toast({ title: calendar ? 'Calendar saved' : 'Calendar created', description: outcome.value.calendar.name });
    onClose();
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      dismissible={!saving}
      size="lg"
      title={calendar ? `Edit calendar ${calendar.name}` : 'New calendar'}
      description="Time windows in one timezone. Jobs attach a calendar to run only inside its windows, or never inside them."
      footer={
        <>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form="calendar-form" variant="primary" loading={saving}>
            {calendar ? 'Save' : 'Create calendar'}
          </Button>
        </>
      }
    >
      <form id="calendar-form" onSubmit={submit} className="flex flex-col gap-4 pb-2" noValidate>
        {refusal && (
          <Alert title="The calendar was not saved">
            {refusal.message}
            {otherErrors.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {otherErrors.map((error) => (
                  <li key={`${error.field}:${error.message}`}>
                    {error.field ? <code className="font-mono">{error.field}</code> : null} {error.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <Input label="Name" required value={name} onChange={(event) => setName(event.target.value)} error={errors.name} />
        <Input label="Description" value={description} onChange={(event) => setDescription(event.target.value)} error={errors.description} />
        <TimezonePicker value={timezone} onChange={setTimezone} error={errors.timezone} help="Dates and times of the entries are read in this zone." />
        <Checkbox
          label="Blackout for all jobs"
          help="No job runs on its schedule inside these windows, whatever calendars it attaches (a change freeze)."
          checked={blackoutForAllJobs}
          onChange={(event) => setBlackoutForAllJobs(event.target.checked)}
        />
        <div className="flex flex-col gap-3">
          <h3 className="text-sm font-medium">Entries</h3>
          {errors.entries && <p className="text-sm text-red-600 dark:text-red-400">{errors.entries}</p>}
          {entries.length === 0 && <p className="text-sm text-stone-500 dark:text-stone-400">No entries: the calendar has no windows.</p>}
          {entries.map((entry, index) => (
            <EntryEditor
              key={index}
              index={index}
              entry={entry}
              errors={errors}
              onChange={(patch) => setEntry(index, patch)}
              onRemove={() => setEntries((current) => current.filter((_, i) => i !== index))}
            />
          ))}
          <div>
            <Button size="sm" icon={<PlusIcon />} onClick={() => setEntries((current) => [...current, blankEntry()])}>
              Add entry
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}

const ENTRY_FIELDS = ['kind', 'label', 'days', 'startTime', 'endTime', 'from', 'to', 'month', 'day'] as const;

function EntryEditor({
  index,
  entry,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  entry: EntryDraft;
  errors: Record<string, string>;
  onChange: (patch: Partial<EntryDraft>) => void;
  onRemove: () => void;
}) {
  const at = (field: (typeof ENTRY_FIELDS)[number]) => errors[`entries[${index}].${field}`];
  const title = `Entry ${index + 1}`;
  return (
    <fieldset aria-label={title} className="flex flex-col gap-3 rounded-xl border border-stone-200 p-3 dark:border-stone-800">
      <legend className="px-1 text-xs font-medium text-stone-500 dark:text-stone-400">{title}</legend>
      {errors[`entries[${index}]`] && <p className="text-sm text-red-600 dark:text-red-400">{errors[`entries[${index}]`]}</p>}
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <Select label="Kind" options={KINDS} value={entry.kind} onChange={(event) => onChange({ kind: event.target.value as CalendarEntryKind })} error={at('kind')} />
        <Input label="Label" value={entry.label} onChange={(event) => onChange({ label: event.target.value })} error={at('label')} placeholder="e.g. Nights" />
        <Button variant="ghost" icon={<TrashIcon />} onClick={onRemove} aria-label={`Remove entry ${index + 1}`}>
          Remove
        </Button>
      </div>
      {entry.kind === 'WEEKLY' && (
        <>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-sm font-medium">Days</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {WEEKDAYS.map((day) => (
                <Checkbox
                  key={day.value}
                  label={day.label}
                  checked={entry.days.includes(day.value)}
                  onChange={(event) => onChange({ days: event.target.checked ? [...entry.days, day.value] : entry.days.filter((d) => d !== day.value) })}
                />
              ))}
            </div>
            {at('days') && <p className="text-sm text-red-600 dark:text-red-400">{at('days')}</p>}
          </fieldset>
          <div className="grid gap-3 sm:grid-cols-2">
            <Input label="Start time" type="time" value={entry.startTime} onChange={(event) => onChange({ startTime: event.target.value })} error={at('startTime')} />
            <Input
              label="End time"
              type="time"
              value={entry.endTime}
              onChange={(event) => onChange({ endTime: event.target.value })}
              error={at('endTime')}
              help="At or before the start: ends the next day. Equal to the start: the whole day."
            />
          </div>
        </>
      )}
      {entry.kind === 'DATE_RANGE' && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Input label="From" type="date" value={entry.from} onChange={(event) => onChange({ from: event.target.value })} error={at('from')} />
          <Input label="To" type="date" value={entry.to} onChange={(event) => onChange({ to: event.target.value })} error={at('to')} help="Included. Left empty: one day." />
        </div>
      )}
      {entry.kind === 'YEARLY' && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Select label="Month" options={MONTHS.map((label, i) => ({ value: String(i + 1), label }))} value={entry.month} onChange={(event) => onChange({ month: event.target.value })} error={at('month')} />
          <Input label="Day" type="number" min={1} max={31} value={entry.day} onChange={(event) => onChange({ day: event.target.value })} error={at('day')} />
        </div>
      )}
    </fieldset>
  );
}
