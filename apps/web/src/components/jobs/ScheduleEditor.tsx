// When the job runs: manual / cron / interval / once. As you type, the server checks the schedule and answers
// with its description and next five fire times (schedulePreview) — the same rules it applies on save.
import { useMemo, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ScheduleInput, ScheduleKind } from '../../gql/graphql';
import { cx } from '../../lib/cx';
import { fieldErrorMap } from '../../lib/errors';
import { useDebounced } from '../../lib/useDebounced';
import { Input } from '../ui/Input';
import { Select } from '../ui/Select';
import { Spinner } from '../ui/Spinner';
import { CRON_PRESETS, scheduleInput, type IntervalUnit, type ScheduleDraft } from './schedule';
import { TimezonePicker } from '../ui/TimezonePicker';

const SchedulePreviewQuery = graphql(`
  query SchedulePreviewQuery($input: ScheduleInput!) {
    schedulePreview(input: $input, count: 5) {
      valid
      description
      nextFireTimes
      fieldErrors {
        field
        message
      }
    }
  }
`);

const KINDS: { kind: ScheduleKind; label: string; hint: string }[] = [
  { kind: 'MANUAL', label: 'Manual', hint: 'Only when someone presses Run now, or through the API' },
  { kind: 'CRON', label: 'Cron', hint: 'On a calendar: every weekday at 09:00, …' },
  { kind: 'INTERVAL', label: 'Interval', hint: 'Every N minutes or hours' },
  { kind: 'ONCE', label: 'Once', hint: 'At one date and time' },
];

export function ScheduleEditor({
  draft,
  onChange,
  serverErrors,
  errorPrefix = 'schedule.',
}: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  /** The server's errors from saving, keyed by path (`schedule.cron`). */
  serverErrors: Record<string, string>;
  /** Where this schedule's fields are in the server's error paths, e.g. `schedules[1].`. */
  errorPrefix?: string;
}) {
  const set = (changes: Partial<ScheduleDraft>) => onChange({ ...draft, ...changes });
  // Debounce the JSON text: a fresh object each render would never settle.
  const settled = useDebounced(JSON.stringify(scheduleInput(draft)), 300);
  const input = useMemo(() => JSON.parse(settled) as ScheduleInput, [settled]);
  const [{ data, fetching }] = useQuery({ query: SchedulePreviewQuery, variables: { input }, pause: input.kind === 'MANUAL' });
  const preview = input.kind === 'MANUAL' ? null : data?.schedulePreview;
  const previewErrors = fieldErrorMap(preview?.fieldErrors ?? []);
  const errorOf = (field: string) => serverErrors[`${errorPrefix}${field}`] ?? previewErrors[field];
  const recurring = draft.kind === 'CRON' || draft.kind === 'INTERVAL';
  const tzFormat = (time: unknown) => formatIn(time, draft.timezone);

  return (
    <div className="flex flex-col gap-5">
      <div role="radiogroup" aria-label="When it runs" className="grid gap-2 sm:grid-cols-4">
        {KINDS.map(({ kind, label, hint }) => (
          <label
            key={kind}
            className={cx(
              'flex cursor-pointer flex-col rounded-xl border p-3 text-sm transition-colors has-focus-visible:outline-2 has-focus-visible:outline-amber-500',
              draft.kind === kind
                ? 'border-amber-500 bg-amber-50 dark:border-amber-400/60 dark:bg-amber-400/10'
                : 'border-stone-200 hover:border-stone-300 dark:border-stone-700 dark:hover:border-stone-600',
            )}
          >
            <input type="radio" name="schedule-kind" value={kind} checked={draft.kind === kind} onChange={() => set({ kind })} className="sr-only" />
            <span className="font-medium">{label}</span>
            <span className="mt-0.5 text-xs text-stone-600 dark:text-stone-300">{hint}</span>
          </label>
        ))}
      </div>

      {draft.kind === 'CRON' && (
        <div className="flex flex-col gap-3">
          <div className="grid gap-4 sm:grid-cols-2">
            <Input
              label="Cron expression"
              required
              inputClassName="font-mono"
              value={draft.cron}
              onChange={(event) => set({ cron: event.target.value })}
              error={errorOf('cron')}
              help="minute hour day-of-month month day-of-week (a sixth field in front: seconds)"
            />
            <TimezoneSelect value={draft.timezone} onChange={(timezone) => set({ timezone })} error={errorOf('timezone')} />
          </div>
          <div className="flex flex-wrap gap-1.5" aria-label="Cron presets" role="group">
            {CRON_PRESETS.map((preset) => (
              <button
                key={preset.cron}
                type="button"
                onClick={() => set({ cron: preset.cron })}
                aria-pressed={draft.cron === preset.cron}
                className="rounded-full border border-stone-200 px-2.5 py-1 text-xs text-stone-600 hover:border-amber-400 hover:text-amber-800 aria-pressed:border-amber-500 aria-pressed:bg-amber-50 aria-pressed:text-amber-900 dark:border-stone-700 dark:text-stone-300 dark:hover:text-amber-200 dark:aria-pressed:bg-amber-400/10 dark:aria-pressed:text-amber-200"
              >
                {preset.label}
              </button>
            ))}
          </div>
        </div>
      )}

      {draft.kind === 'INTERVAL' && (
        <div className="grid gap-4 sm:grid-cols-3">
          <Input
            label="Every"
            required
            type="number"
            min={1}
            value={draft.intervalValue}
            onChange={(event) => set({ intervalValue: event.target.value })}
            error={errorOf('intervalSeconds')}
          />
          <Select
            label="Unit"
            value={draft.intervalUnit}
            onChange={(event) => set({ intervalUnit: event.target.value as IntervalUnit })}
            options={[
              { value: 'seconds', label: 'Seconds' },
              { value: 'minutes', label: 'Minutes' },
              { value: 'hours', label: 'Hours' },
              { value: 'days', label: 'Days' },
            ]}
          />
          <TimezoneSelect value={draft.timezone} onChange={(timezone) => set({ timezone })} error={errorOf('timezone')} />
        </div>
      )}

      {draft.kind === 'ONCE' && (
        <div className="grid gap-4 sm:grid-cols-2">
          <Input
            label={`Run at (${draft.timezone})`}
            required
            type="datetime-local"
            value={draft.runAt}
            onChange={(event) => set({ runAt: event.target.value })}
            error={errorOf('runAt')}
            help="Read in the schedule's timezone; change it beside."
          />
          <TimezoneSelect value={draft.timezone} onChange={(timezone) => set({ timezone })} error={errorOf('timezone')} />
        </div>
      )}

      {recurring && (
        <div className="grid gap-4 sm:grid-cols-3">
          <Input label={`Start (${draft.timezone})`} type="datetime-local" value={draft.startAt} onChange={(event) => set({ startAt: event.target.value })} error={errorOf('startAt')} help="No run before it (optional), in the schedule's timezone." />
          <Input label={`End (${draft.timezone})`} type="datetime-local" value={draft.endAt} onChange={(event) => set({ endAt: event.target.value })} error={errorOf('endAt')} help="No run after it (optional), in the schedule's timezone." />
          <Input label="Limit" type="number" min={1} value={draft.runLimit} onChange={(event) => set({ runLimit: event.target.value })} error={errorOf('runLimit')} help="At most this many scheduled runs." />
        </div>
      )}

      {draft.kind !== 'MANUAL' && (
        <div aria-live="polite" aria-label="Schedule preview" role="region" className="rounded-xl border border-stone-200 bg-stone-50 p-4 text-sm dark:border-stone-800 dark:bg-stone-950/50">
          {!preview ? (
            <span className="flex items-center gap-2 text-stone-500">
              <Spinner /> Checking the schedule…
            </span>
          ) : !preview.valid ? (
            <p className="text-red-600 dark:text-red-400">
              {preview.fieldErrors.map((error) => `${fieldName(error.field)} ${error.message}`).join('; ') || 'This schedule is not valid.'}
            </p>
          ) : (
            <PreviewBody description={preview.description} busy={fetching}>
              {preview.nextFireTimes.length === 0 ? (
                <p className="mt-2 text-stone-500">It would never run (the end or the limit comes first).</p>
              ) : (
                <ol aria-label="Next runs" className="mt-2 grid gap-1 tabular-nums sm:grid-cols-2">
                  {preview.nextFireTimes.map((time) => (
                    <li key={String(time)} className="text-stone-700 dark:text-stone-300">
                      {tzFormat(time)}
                    </li>
                  ))}
                </ol>
              )}
            </PreviewBody>
          )}
        </div>
      )}
    </div>
  );
}

function PreviewBody({ description, busy, children }: { description: string | null | undefined; busy: boolean; children: ReactNode }) {
  return (
    <>
      <p className="flex items-center gap-2 font-medium text-stone-900 dark:text-stone-100" data-testid="schedule-preview-description">
        {description}
        {busy && <Spinner className="size-3 text-stone-400" />}
      </p>
      <p className="mt-2 text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">Next 5 runs</p>
      {children}
    </>
  );
}

function TimezoneSelect({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  return <TimezonePicker value={value} onChange={onChange} error={error} />;
}

function fieldName(field: string): string {
  return { cron: 'Cron', intervalSeconds: 'Interval', runAt: 'Run at', startAt: 'Start', endAt: 'End', runLimit: 'Limit', timezone: 'Timezone' }[field] ?? field;
}

function formatIn(time: unknown, timezone: string): string {
  const date = typeof time === 'string' ? new Date(time) : null;
  if (!date || Number.isNaN(date.getTime())) return String(time);
  try {
    // dateStyle cannot be combined with timeZoneName; the parts are named instead. The weekday helps read a cron.
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: timezone,
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return date.toLocaleString();
  }
}
