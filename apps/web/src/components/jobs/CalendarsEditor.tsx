// The job form's "Calendars" section: the calendars the job attaches — its slots run only inside their windows, or
// never inside them — and its blackout policy (a ruled-out slot is skipped, or moved to the end of the window).
// Saved with the job in one transaction (createJob/updateJob's calendars); the job page's Calendars card edits the
// same thing through this editor (setJobCalendars). Calendars are searched on the server (CalendarSelect), so any calendar of a big install
// can be attached; the server's messages show at their rows.
import type { BlackoutPolicy, CalendarMode } from '../../gql/graphql';
import type { FieldError } from '../../lib/errors';
import { CalendarSelect } from '../pickers/CalendarSelect';
import { Button } from '../ui/Button';
import { PlusIcon, TrashIcon } from '../ui/icons';
import { Select } from '../ui/Select';

/** Calendars a job may attach at most (the server's MAX_JOB_CALENDARS). */
const MAX_CALENDARS = 20;

export interface CalendarsDraft {
  calendars: { calendarId: string; mode: CalendarMode }[];
  blackoutPolicy: BlackoutPolicy;
}

const MODES: { value: CalendarMode; label: string }[] = [
  { value: 'NEVER_INSIDE', label: 'Never inside (a blackout)' },
  { value: 'ONLY_INSIDE', label: 'Only inside' },
];

const POLICIES: { value: BlackoutPolicy; label: string }[] = [
  { value: 'SKIP', label: 'Skip: record a skipped run' },
  { value: 'MOVE', label: 'Move: run once at the end of the window' },
];

/** A stored job's calendars as the editor's draft. */
export function draftFromCalendars(job: { blackoutPolicy: BlackoutPolicy; calendars: readonly { mode: CalendarMode; calendar: { id: string } }[] }): CalendarsDraft {
  return { blackoutPolicy: job.blackoutPolicy, calendars: job.calendars.map(({ mode, calendar }) => ({ calendarId: calendar.id, mode })) };
}

/** What the form sends as `calendars` and `blackoutPolicy`. */
export function calendarsInput(draft: CalendarsDraft) {
  return { calendars: draft.calendars.map(({ calendarId, mode }) => ({ calendarId, mode })), blackoutPolicy: draft.blackoutPolicy };
}

/** A row without a calendar chosen is the form's own problem (the server would only say the id is unknown). */
export function calendarsProblems(draft: CalendarsDraft): FieldError[] {
  return draft.calendars.flatMap((row, index) => (row.calendarId ? [] : [{ field: `calendars[${index}].calendarId`, message: 'choose a calendar, or detach this row' }]));
}

export function CalendarsEditor({ draft, onChange, errors }: { draft: CalendarsDraft; onChange: (draft: CalendarsDraft) => void; errors: Record<string, string> }) {
  const setRow = (index: number, change: Partial<CalendarsDraft['calendars'][number]>) =>
    onChange({ ...draft, calendars: draft.calendars.map((row, at) => (at === index ? { ...row, ...change } : row)) });
  return (
    <div className="flex flex-col gap-4" data-testid="job-form-calendars">
      {draft.calendars.length === 0 && (
        <p className="text-sm text-stone-500 dark:text-stone-400">None attached: the job runs at every slot (a blackout for all jobs still applies).</p>
      )}
      {errors.calendars && <p className="text-sm text-red-600 dark:text-red-400">{errors.calendars}</p>}
      {draft.calendars.map((row, index) => {
        const number = index + 1;
        return (
          <fieldset key={index} aria-label={`Attached calendar ${number}`} className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
            <CalendarSelect label={`Calendar ${number}`} value={row.calendarId} onChange={(calendarId) => setRow(index, { calendarId })} error={errors[`calendars[${index}].calendarId`] ?? errors[`calendars[${index}]`]} />
            <Select
              label={`Mode of calendar ${number}`}
              options={MODES}
              value={row.mode}
              onChange={(event) => setRow(index, { mode: event.target.value as CalendarMode })}
              error={errors[`calendars[${index}].mode`]}
            />
            <Button icon={<TrashIcon />} aria-label={`Detach calendar ${number}`} onClick={() => onChange({ ...draft, calendars: draft.calendars.filter((_, at) => at !== index) })}>
              Detach
            </Button>
          </fieldset>
        );
      })}
      <div>
        <Button
          icon={<PlusIcon />}
          disabled={draft.calendars.length >= MAX_CALENDARS}
          onClick={() => onChange({ ...draft, calendars: [...draft.calendars, { calendarId: '', mode: 'NEVER_INSIDE' }] })}
        >
          Attach a calendar
        </Button>
      </div>
      <Select
        label="Blackout policy"
        options={POLICIES}
        value={draft.blackoutPolicy}
        onChange={(event) => onChange({ ...draft, blackoutPolicy: event.target.value as BlackoutPolicy })}
        error={errors.blackoutPolicy}
        help="What a slot the calendars rule out becomes."
      />
    </div>
  );
}
