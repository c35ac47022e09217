// The job form's "Follow-ups" section (chains): jobs started when a run of this job ends, each with the ending that
// starts it and its arg mappings (a JSON path into the ended run, a literal value, or a template). The server checks
// everything on save (the job exists, no cycle, the paths, the follow-up's action); its messages show at the fields.
import { FOLLOW_UP_LIMITS, followUpOns } from '@sundial/job-schema';
import type { FollowUpOn } from '../../gql/graphql';
import { JobSelect } from '../pickers/JobSelect';
import { Button } from '../ui/Button';
import { PlusIcon, TrashIcon } from '../ui/icons';
import { Input } from '../ui/Input';
import { Select } from '../ui/Select';

export type ArgSource = 'path' | 'value' | 'template';

export interface FollowUpArgDraft {
  arg: string;
  source: ArgSource;
  /** The path, the template, or the value as JSON (plain text that is not JSON is sent as text). */
  text: string;
}

export interface FollowUpDraft {
  jobId: string;
  on: FollowUpOn;
  args: FollowUpArgDraft[];
}

export const ON_LABEL: Record<FollowUpOn, string> = {
  SUCCEEDED: 'Succeeds',
  PARTIALLY_SUCCEEDED: 'Partially succeeds',
  FAILED: 'Fails (or is interrupted)',
  TIMED_OUT: 'Times out',
  CANCELLED: 'Is cancelled',
  ANY: 'Ends in any way',
};

const SOURCE_LABEL: Record<ArgSource, string> = { path: 'JSON path', value: 'Value (JSON)', template: 'Template' };
const SOURCE_PLACEHOLDER: Record<ArgSource, string> = {
  path: '$.output.count',
  value: '"full"',
  template: 'Imported {{ $.output.imported }} records',
};

/** A stored follow-up (Job.followUps) as the editor's draft. */
export function draftFromFollowUps(
  followUps: readonly { on: FollowUpOn; job: { id: string }; args: readonly { arg: string; path?: string | null; value?: unknown; template?: string | null }[] }[],
): FollowUpDraft[] {
  return followUps.map((followUp) => ({
    jobId: followUp.job.id,
    on: followUp.on,
    args: followUp.args.map((entry) =>
      entry.path != null
        ? { arg: entry.arg, source: 'path', text: entry.path }
        : entry.template != null
          ? { arg: entry.arg, source: 'template', text: entry.template }
          : { arg: entry.arg, source: 'value', text: JSON.stringify(entry.value ?? null) },
    ),
  }));
}

function literal(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** What the form sends as `followUps`. */
export function followUpsInput(drafts: readonly FollowUpDraft[]) {
  return drafts.map((draft) => ({
    jobId: draft.jobId,
    on: draft.on,
    args: draft.args.map((entry) =>
      entry.source === 'value' ? { arg: entry.arg.trim(), value: literal(entry.text) } : { arg: entry.arg.trim(), [entry.source]: entry.text.trim() },
    ),
  }));
}

export function FollowUpsEditor({
  drafts,
  onChange,
  jobId,
  errors,
}: {
  drafts: FollowUpDraft[];
  onChange: (drafts: FollowUpDraft[]) => void;
  /** The job being edited (a follow-up cannot start it); null while creating. */
  jobId: string | null;
  errors: Record<string, string>;
}) {
  const update = (index: number, change: Partial<FollowUpDraft>) => onChange(drafts.map((draft, at) => (at === index ? { ...draft, ...change } : draft)));
  const updateArg = (index: number, position: number, change: Partial<FollowUpArgDraft>) =>
    update(index, { args: drafts[index]!.args.map((entry, at) => (at === position ? { ...entry, ...change } : entry)) });

  return (
    <div className="flex flex-col gap-4" data-testid="follow-ups">
      {drafts.length === 0 && (
        <p className="text-sm text-stone-500 dark:text-stone-400">No follow-ups: this job's runs start nothing when they end.</p>
      )}
      {errors.followUps && <p className="text-sm text-red-600 dark:text-red-400">{errors.followUps}</p>}
      {drafts.map((draft, index) => {
        const at = `followUps[${index}]`;
        const number = index + 1;
        return (
          <fieldset key={index} aria-label={`Follow-up ${number}`} className="flex flex-col gap-3 rounded-xl border border-stone-200 p-4 dark:border-stone-800">
            <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
              <JobSelect
                label={`Follow-up ${number}: start job`}
                value={draft.jobId}
                onChange={(id) => update(index, { jobId: id })}
                exclude={jobId}
                error={errors[`${at}.jobId`] ?? errors[at]}
              />
              <Select
                label="When a run"
                value={draft.on}
                onChange={(event) => update(index, { on: event.target.value as FollowUpOn })}
                error={errors[`${at}.on`]}
                options={followUpOns.map((on) => ({ value: on, label: ON_LABEL[on] }))}
              />
              <Button icon={<TrashIcon />} aria-label={`Remove follow-up ${number}`} onClick={() => onChange(drafts.filter((_, i) => i !== index))}>
                Remove
              </Button>
            </div>
            {draft.args.map((entry, position) => {
              const argAt = `${at}.args[${position}]`;
              return (
                <div key={position} className="grid gap-3 sm:grid-cols-[10rem_10rem_1fr_auto] sm:items-end">
                  <Input
                    label={`Arg ${position + 1}`}
                    value={entry.arg}
                    onChange={(event) => updateArg(index, position, { arg: event.target.value })}
                    error={errors[`${argAt}.arg`] ?? errors[argAt]}
                    placeholder="message"
                  />
                  <Select
                    label="From"
                    value={entry.source}
                    onChange={(event) => updateArg(index, position, { source: event.target.value as ArgSource })}
                    options={(['path', 'value', 'template'] as const).map((source) => ({ value: source, label: SOURCE_LABEL[source] }))}
                  />
                  <Input
                    label={SOURCE_LABEL[entry.source]}
                    inputClassName="font-mono"
                    value={entry.text}
                    onChange={(event) => updateArg(index, position, { text: event.target.value })}
                    error={errors[`${argAt}.${entry.source}`]}
                    placeholder={SOURCE_PLACEHOLDER[entry.source]}
                  />
                  <Button
                    icon={<TrashIcon />}
                    aria-label={`Remove arg ${position + 1} of follow-up ${number}`}
                    onClick={() => update(index, { args: draft.args.filter((_, i) => i !== position) })}
                  >
                    Remove
                  </Button>
                </div>
              );
            })}
            <div>
              <Button
                size="sm"
                icon={<PlusIcon />}
                disabled={draft.args.length >= FOLLOW_UP_LIMITS.args}
                onClick={() => update(index, { args: [...draft.args, { arg: '', source: 'path', text: '' }] })}
              >
                Map an arg
              </Button>
              <p className="mt-1.5 text-xs text-stone-500 dark:text-stone-400">
                Paths read the ended run as <code className="font-mono">{'{ output, args, run }'}</code>, e.g.{' '}
                <code className="font-mono">$.output.count</code>; a template fills <code className="font-mono">{'{{ path }}'}</code> holes. Args not
                mapped keep the job's own.
              </p>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button
          icon={<PlusIcon />}
          disabled={drafts.length >= FOLLOW_UP_LIMITS.followUps}
          onClick={() => onChange([...drafts, { jobId: '', on: 'SUCCEEDED', args: [] }])}
        >
          Add a follow-up
        </Button>
      </div>
    </div>
  );
}
