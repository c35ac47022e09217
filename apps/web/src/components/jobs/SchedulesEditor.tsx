// A job's schedules: any number, each with its timing (ScheduleEditor), a label, an enabled flag and args that
// override the job's for its runs. Below them, the next five runs of all of them together, each naming the schedule
// that fires (schedulesPreview: the server's rules, the same as on save). An entry left on Manual is no schedule.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ScheduleEntryInput } from '../../gql/graphql';
import { useDebounced } from '../../lib/useDebounced';
import { Button } from '../ui/Button';
import { Checkbox } from '../ui/Checkbox';
import { Input } from '../ui/Input';
import { Spinner } from '../ui/Spinner';
import { Textarea } from '../ui/Textarea';
import { emptyScheduleEntryDraft, scheduleEntriesInput, type ScheduleEntryDraft } from './schedule';
import { ScheduleEditor } from './ScheduleEditor';

const SchedulesPreviewQuery = graphql(`
  query SchedulesPreviewQuery($inputs: [ScheduleEntryInput!]!) {
    schedulesPreview(inputs: $inputs, count: 5) {
      valid
      slots {
        at
        scheduleIndex
        scheduleTitle
      }
    }
  }
`);

export function SchedulesEditor({
  drafts,
  onChange,
  serverErrors,
}: {
  drafts: ScheduleEntryDraft[];
  onChange: (drafts: ScheduleEntryDraft[]) => void;
  serverErrors: Record<string, string>;
}) {
  const update = (index: number, changes: Partial<ScheduleEntryDraft>) =>
    onChange(drafts.map((draft, at) => (at === index ? { ...draft, ...changes } : draft)));
  const remove = (index: number) => onChange(drafts.filter((_draft, at) => at !== index));
  // The server's errors count only the entries sent (Manual ones are not): map each sent index back to its entry.
  const sentIndex = useMemo(() => {
    let next = 0;
    return drafts.map((draft) => (draft.kind === 'MANUAL' ? -1 : next++));
  }, [drafts]);
  const settled = useDebounced(JSON.stringify(scheduleEntriesInput(drafts)), 300);
  const inputs = useMemo(() => JSON.parse(settled) as ScheduleEntryInput[], [settled]);
  const several = inputs.length > 1;
  const [{ data, fetching }] = useQuery({ query: SchedulesPreviewQuery, variables: { inputs }, pause: !several });
  const preview = several ? data?.schedulesPreview : null;

  return (
    <div className="flex flex-col gap-6">
      {drafts.map((draft, index) => {
        const prefix = `schedules[${sentIndex[index]}].`;
        const name = draft.label.trim() || `Schedule ${index + 1}`;
        return (
          <fieldset key={index} className="flex flex-col gap-4 rounded-xl border border-stone-200 p-4 dark:border-stone-800" aria-label={name}>
            {drafts.length > 1 || draft.kind !== 'MANUAL' ? (
              <div className="grid gap-4 sm:grid-cols-[1fr_auto_auto] sm:items-end">
                <Input label="Schedule label" value={draft.label} onChange={(event) => update(index, { label: event.target.value })} error={serverErrors[`${prefix}label`]} help="Optional: a name such as Nightly." />
                <Checkbox label="Schedule enabled" checked={draft.enabled} onChange={(event) => update(index, { enabled: event.target.checked })} />
                {drafts.length > 1 ? (
                  <Button variant="ghost" onClick={() => remove(index)} aria-label={`Remove ${name}`}>
                    Remove
                  </Button>
                ) : null}
              </div>
            ) : null}
            <ScheduleEditor draft={draft} onChange={(changed) => update(index, changed)} serverErrors={serverErrors} errorPrefix={sentIndex[index]! >= 0 ? prefix : 'schedule.'} />
            {draft.kind !== 'MANUAL' ? (
              <Textarea
                label="Args for this schedule"
                code
                value={draft.argsText}
                onChange={(event) => update(index, { argsText: event.target.value })}
                error={Object.entries(serverErrors).find(([field]) => field.startsWith(`${prefix}args`))?.[1]}
                help={'Optional JSON object overriding the job\'s args key by key for this schedule\'s runs, e.g. {"format": "pdf"}.'}
              />
            ) : null}
          </fieldset>
        );
      })}
      <div>
        <Button onClick={() => onChange([...drafts, emptyScheduleEntryDraft('CRON')])}>Add schedule</Button>
      </div>
      {several ? (
        <div aria-live="polite" aria-label="Next runs of all schedules" role="region" className="rounded-xl border border-stone-200 bg-stone-50 p-4 text-sm dark:border-stone-800 dark:bg-stone-950/50">
          {!preview ? (
            <p className="flex items-center gap-2"><Spinner /> Checking the schedules…</p>
          ) : !preview.valid ? (
            <p className="text-stone-700 dark:text-stone-300">Fix the schedules above to see their next runs.</p>
          ) : (
            <ol aria-label="Next runs, all schedules" className="grid gap-1 tabular-nums">
              {preview.slots.map((slot) => (
                <li key={`${String(slot.at)}-${slot.scheduleIndex}`} className="flex justify-between gap-4">
                  <time dateTime={String(slot.at)}>{new Date(String(slot.at)).toLocaleString()}</time>
                  <span className="text-stone-700 dark:text-stone-300">{slot.scheduleTitle}</span>
                </li>
              ))}
            </ol>
          )}
          {fetching ? <span className="sr-only">Updating</span> : null}
        </div>
      ) : null}
    </div>
  );
}
