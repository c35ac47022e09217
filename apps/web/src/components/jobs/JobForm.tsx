// Create or edit a job (Kamihi's "New Job", InvenioRDM's create form): name, description, action with its
// description, args from the action's JSON Schema, users and roles, per user, schedule, limits and policies,
// notifications, follow-ups (chains), the calendars it attaches (saved with the job in one transaction).
// The fields' own rules (lengths, ranges) and the args' schema are checked before sending, with the rules the server
// validates with (@sundial/job-schema), so their messages are the server's; the server judges the rest on save
// (action, schedule, users and roles) and its messages appear at their fields. A field's problem shows once it has
// been left or the form submitted; submitting with problems focuses the first field that has one. Leaving with
// unsaved changes asks first.
import { checkJobFields, type JobField } from '@sundial/job-schema';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useBlocker } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { MisfirePolicy, OverlapPolicy } from '../../gql/graphql';
import { fieldErrorMap, type FieldError } from '../../lib/errors';
import { formatDuration } from '../../lib/format';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { Checkbox } from '../ui/Checkbox';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Input } from '../ui/Input';
import { RolePicker, type RolePicker_RoleFragment } from '../pickers/RolePicker';
import { UserPicker, type UserPicker_UserFragment } from '../pickers/UserPicker';
import { Select } from '../ui/Select';
import { Textarea } from '../ui/Textarea';
import { ArgsEditor } from './ArgsEditor';
import { calendarsInput, CalendarsEditor, calendarsProblems, draftFromCalendars, type CalendarsDraft } from './CalendarsEditor';
import { JobNameInput } from './JobNameInput';
import { argProblemList } from './jsonSchema';
import { draftFromFollowUps, FollowUpsEditor, followUpsInput, type FollowUpDraft } from './FollowUpsEditor';
import { emptyNotificationsDraft, NotificationsEditor, notificationsInput, type NotificationsDraft } from './NotificationsEditor';
import { draftFromScheduleEntry, emptyScheduleEntryDraft, scheduleEntriesInput, type ScheduleEntryDraft } from './schedule';
import { SchedulesEditor } from './SchedulesEditor';

export const JobForm_JobFragment = graphql(`
  fragment JobForm_JobFragment on Job {
    id
    name
    description
    action
    enabled
    args
    perUser
    retries
    timeoutMs
    queue
    priority
    overlapPolicy
    misfirePolicy
    targetUsers {
      id
      ...UserPicker_UserFragment
    }
    targetRoles {
      id
      ...RolePicker_RoleFragment
    }
    notifyOn
    notifyEmails
    notifyWebhooks
    notifyUsers {
      id
      ...UserPicker_UserFragment
    }
    notifyRoles {
      id
      ...RolePicker_RoleFragment
    }
    blackoutPolicy
    calendars {
      mode
      calendar {
        id
      }
    }
    followUps {
      on
      job {
        id
      }
      args {
        arg
        path
        value
        template
      }
    }
    schedules {
      id
      label
      enabled
      args
      kind
      cron
      intervalSeconds
      runAt
      startAt
      endAt
      runLimit
      timezone
    }
  }
`);

export const JobForm_ActionFragment = graphql(`
  fragment JobForm_ActionFragment on Action {
    name
    description
    argsJsonSchema
    defaults {
      retries
      timeoutMs
    }
  }
`);

export interface JobDraft {
  name: string;
  description: string;
  action: string;
  enabled: boolean;
  args: Record<string, unknown>;
  perUser: boolean;
  targetUserIds: string[];
  targetRoleIds: string[];
  schedules: ScheduleEntryDraft[];
  retries: string;
  timeoutSeconds: string;
  queue: string;
  priority: string;
  overlapPolicy: OverlapPolicy;
  misfirePolicy: MisfirePolicy;
  notifications: NotificationsDraft;
  followUps: FollowUpDraft[];
  calendars: CalendarsDraft;
}

/** What the form sends: the fields CreateJobInput and UpdateJobInput share (plus `enabled` on create). */
export function jobInput(draft: JobDraft) {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    action: draft.action,
    args: draft.args,
    perUser: draft.perUser,
    targetUserIds: draft.targetUserIds,
    targetRoleIds: draft.targetRoleIds,
    schedules: scheduleEntriesInput(draft.schedules),
    retries: draft.retries === '' ? null : Number(draft.retries),
    timeoutMs: draft.timeoutSeconds === '' ? null : Math.round(Number(draft.timeoutSeconds) * 1000),
    queue: draft.queue.trim() === '' ? 'default' : draft.queue.trim(),
    priority: draft.priority.trim() === '' ? 0 : Number(draft.priority),
    overlapPolicy: draft.overlapPolicy,
    misfirePolicy: draft.misfirePolicy,
    ...notificationsInput(draft.notifications),
    followUps: followUpsInput(draft.followUps),
    ...calendarsInput(draft.calendars),
  };
}

/** The users and roles the job names (targets and notified), so the pickers show their names before any search. */
export interface TargetOptions {
  users: readonly FragmentType<typeof UserPicker_UserFragment>[];
  roles: readonly FragmentType<typeof RolePicker_RoleFragment>[];
}

/** The job's fields this form shows: an error on any other (key, concurrency, …) is listed above the form instead. */
const SHOWN_FIELDS = new Set<string>([
  'name',
  'description',
  'action',
  'args',
  'perUser',
  'targetUserIds',
  'targetRoleIds',
  'schedule',
  'schedules',
  'retries',
  'timeoutMs',
  'queue',
  'priority',
  'overlapPolicy',
  'misfirePolicy',
  'notifyOn',
  'notifyEmails',
  'notifyUserIds',
  'notifyRoleIds',
  'notifyWebhooks',
  'followUps',
  'calendars',
  'blackoutPolicy',
] satisfies (JobField | 'calendars' | 'blackoutPolicy')[]);
const shownAtItsField = (field: string) => SHOWN_FIELDS.has(field.split(/[.[]/)[0] ?? field);

/** The rules of the job schema for the plain fields the form sends; their messages are the server's own. */
function fieldProblems(draft: JobDraft): FieldError[] {
  const { name, description, retries, timeoutMs, queue, priority } = jobInput(draft);
  return [...checkJobFields({ name, description, retries, timeoutMs, queue, priority }), ...calendarsProblems(draft.calendars)];
}

export function JobForm({
  job: jobRef,
  actions: actionRefs,
  onSubmit,
  onCancel,
  submitLabel,
}: {
  job?: FragmentType<typeof JobForm_JobFragment> | null;
  actions: readonly FragmentType<typeof JobForm_ActionFragment>[];
  /** Saves; resolves to the server's field errors and message when it refuses. */
  onSubmit: (draft: JobDraft) => Promise<{ message: string; fieldErrors: FieldError[] } | null>;
  onCancel: () => void;
  submitLabel: string;
}) {
  const job = useFragment(JobForm_JobFragment, jobRef);
  const actions = useFragment(JobForm_ActionFragment, actionRefs);
  const targets: TargetOptions = {
    users: [...(job?.targetUsers ?? []), ...(job?.notifyUsers ?? [])],
    roles: [...(job?.targetRoles ?? []), ...(job?.notifyRoles ?? [])],
  };
  const initial = useMemo<JobDraft>(
    () =>
      job
        ? {
            name: job.name,
            description: job.description,
            action: job.action,
            enabled: job.enabled,
            args: isRecord(job.args) ? job.args : {},
            perUser: job.perUser,
            targetUserIds: job.targetUsers.map((user) => user.id),
            targetRoleIds: job.targetRoles.map((role) => role.id),
            schedules: job.schedules.length > 0 ? job.schedules.map(draftFromScheduleEntry) : [emptyScheduleEntryDraft()],
            retries: job.retries != null ? String(job.retries) : '',
            timeoutSeconds: job.timeoutMs != null ? String(job.timeoutMs / 1000) : '',
            queue: job.queue,
            priority: String(job.priority),
            overlapPolicy: job.overlapPolicy,
            misfirePolicy: job.misfirePolicy,
            notifications: {
              notifyOn: job.notifyOn,
              notifyEmails: job.notifyEmails.join('\n'),
              notifyUserIds: job.notifyUsers.map((user) => user.id),
              notifyRoleIds: job.notifyRoles.map((role) => role.id),
              notifyWebhooks: job.notifyWebhooks.join('\n'),
            },
            followUps: draftFromFollowUps(job.followUps),
            calendars: draftFromCalendars(job),
          }
        : {
            name: '',
            description: '',
            action: '',
            enabled: true,
            args: {},
            perUser: false,
            targetUserIds: [],
            targetRoleIds: [],
            schedules: [emptyScheduleEntryDraft()],
            retries: '',
            timeoutSeconds: '',
            queue: 'default',
            priority: '0',
            overlapPolicy: 'SKIP',
            misfirePolicy: 'CATCH_UP_ONCE',
            notifications: emptyNotificationsDraft(),
            followUps: [],
            calendars: { calendars: [], blackoutPolicy: 'SKIP' },
          },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- starts from the job as loaded; a refetch must not overwrite what is being typed
    [],
  );
  const [draft, setDraft] = useState<JobDraft>(initial);
  const [argsValid, setArgsValid] = useState(true);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; fieldErrors: FieldError[] } | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const touch = (field: string) => setTouched((current) => (current.has(field) ? current : new Set(current).add(field)));
  // Bumped to move focus to the first field showing a problem, once the form has drawn them.
  const [focusRequest, setFocusRequest] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const saved = useRef(false);
  const ownProblems = fieldErrorMap(fieldProblems(draft));
  const errors: Record<string, string> = {
    ...Object.fromEntries(Object.entries(ownProblems).filter(([field]) => submitted || touched.has(field))),
    ...fieldErrorMap(refusal?.fieldErrors ?? []),
  };
  const otherErrors = (refusal?.fieldErrors ?? []).filter((error) => !shownAtItsField(error.field));
  const action = actions.find((candidate) => candidate.name === draft.action);
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);

  useEffect(() => {
    if (focusRequest === 0) return;
    const form = formRef.current;
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[data-form-alert]');
    first?.focus({ preventScroll: true });
    first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [focusRequest]);

  const set = <K extends keyof JobDraft>(key: K, value: JobDraft[K]) => setDraft((current) => ({ ...current, [key]: value }));

  // Unsaved changes: ask before leaving inside the app, and let the browser ask on reload / closing the tab.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !saved.current && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const problems = [...fieldProblems(draft), ...(action ? argProblemList(action.argsJsonSchema, draft.args) : [])];
    if (!argsValid || problems.length > 0) {
      setRefusal(null);
      setFocusRequest((count) => count + 1);
      return;
    }
    setSaving(true);
    setRefusal(null);
    const problem = await onSubmit(draft);
    setSaving(false);
    if (problem) {
      setRefusal(problem);
      setFocusRequest((count) => count + 1);
    } else {
      saved.current = true;
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} aria-label={job ? 'Edit job' : 'New job'} className="flex flex-col gap-6 pb-24" noValidate>
      {refusal && (
        <div data-form-alert tabIndex={-1} className="outline-none">
          <Alert title="The job was not saved">
            {refusal.fieldErrors.length === 0
              ? refusal.message
              : otherErrors.length === refusal.fieldErrors.length
                ? 'The server refused these values:'
                : `${refusal.fieldErrors.length === 1 ? 'One field needs' : `${refusal.fieldErrors.length} fields need`} a change; each says why next to it.`}
            {otherErrors.length > 0 && (
              <ul className="mt-1 list-disc pl-5">
                {otherErrors.map((error) => (
                  <li key={error.field}>
                    <code className="font-mono">{error.field}</code> {error.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        </div>
      )}

      <Section title="Job" description="What it is called and what it does.">
        <div className="grid gap-4 sm:grid-cols-2">
          <JobNameInput value={draft.name} onChange={(name) => set('name', name)} onBlur={() => touch('name')} error={inWords('Name', errors.name)} jobId={job?.id ?? null} />
          <Select
            label="Action"
            required
            value={draft.action}
            onChange={(event) => {
              set('action', event.target.value);
              set('args', {});
              setArgsValid(true);
            }}
            error={errors.action}
            options={[{ value: '', label: 'Choose an action…' }, ...actions.map((a) => ({ value: a.name, label: `${a.name} — ${truncate(a.description, 60)}` }))]}
            help={action ? action.description : 'The code this job runs. Actions are TypeScript files in the server’s actions folder.'}
          />
        </div>
        <Textarea label="Description" rows={2} value={draft.description} onChange={(event) => set('description', event.target.value)} onBlur={() => touch('description')} error={inWords('Description', errors.description)} placeholder="Notes for whoever looks at this job next" />
        {!job && (
          <Checkbox
            label="Enabled"
            help="Runs on its schedule as soon as it is saved. Unchecked: saved paused; it can still be run by hand."
            checked={draft.enabled}
            onChange={(event) => set('enabled', event.target.checked)}
          />
        )}
      </Section>

      {action && (
        <Section title="Arguments" description="What the action gets each time it runs. A run can override them.">
          <ArgsEditor
            key={action.name}
            schema={action.argsJsonSchema}
            value={draft.args}
            onChange={(args) => set('args', args)}
            serverErrors={errors}
            onValidityChange={setArgsValid}
            submitted={submitted}
          />
        </Section>
      )}

      <Section title="Targets" description="The users the action is for. Roles include their members as they are when a run starts.">
        <div className="grid gap-4 sm:grid-cols-2">
          <UserPicker label="Users" known={targets.users} value={draft.targetUserIds} onChange={(value) => set('targetUserIds', value)} error={errors.targetUserIds} />
          <RolePicker label="Roles" known={targets.roles} value={draft.targetRoleIds} onChange={(value) => set('targetRoleIds', value)} error={errors.targetRoleIds} />
        </div>
        <Checkbox
          label="Per user"
          checked={draft.perUser}
          onChange={(event) => set('perUser', event.target.checked)}
          help={
            <>
              <strong>On:</strong> one child run per targeted user, in parallel batches; the action gets that user as{' '}
              <code className="font-mono">user</code>, and every targeted user in <code className="font-mono">users</code>.
              External calls repeat for each user — mind rate limits. With no users or roles, nothing runs.{' '}
              <strong>Off:</strong> one run; <code className="font-mono">user</code> is null and{' '}
              <code className="font-mono">users</code> holds everyone targeted.
            </>
          }
        />
        {draft.perUser && draft.targetUserIds.length === 0 && draft.targetRoleIds.length === 0 && (
          <Alert tone="warning" title="Per user with nobody targeted">
            A per-user job with no users or roles has nobody to run for, so its runs do nothing. Choose users or roles, or turn Per user off.
          </Alert>
        )}
      </Section>

      <Section title="Schedules" description="When it runs by itself: any number of schedules, the earliest slot first. Every job can also be run by hand.">
        <SchedulesEditor drafts={draft.schedules} onChange={(schedules) => set('schedules', schedules)} serverErrors={errors} />
      </Section>

      <Section title="Calendars" description="Only inside: scheduled slots run inside the calendar's windows only. Never inside: not inside them (a blackout).">
        <CalendarsEditor draft={draft.calendars} onChange={(calendars) => set('calendars', calendars)} errors={errors} />
      </Section>

      <Section title="Limits and policies">
        <div className="grid gap-4 sm:grid-cols-2">
          <Input
            label="Retries"
            type="number"
            min={0}
            value={draft.retries}
            onChange={(event) => set('retries', event.target.value)}
            onBlur={() => touch('retries')}
            error={inWords('Retries', errors.retries)}
            placeholder={action ? String(action.defaults.retries) : undefined}
            help={`Attempts after a failure. Empty: the action's default${action ? ` (${action.defaults.retries})` : ''}.`}
          />
          <Input
            label="Timeout (seconds)"
            type="number"
            min={1}
            value={draft.timeoutSeconds}
            onChange={(event) => set('timeoutSeconds', event.target.value)}
            onBlur={() => touch('timeoutMs')}
            error={inWords('Timeout', errors.timeoutMs)}
            placeholder={action ? String(action.defaults.timeoutMs / 1000) : undefined}
            help={`A run taking longer is stopped. Empty: the action's default${action ? ` (${formatDuration(action.defaults.timeoutMs)})` : ''}.`}
          />
          <Input
            label="Queue"
            value={draft.queue}
            onChange={(event) => set('queue', event.target.value)}
            error={errors.queue}
            help="Only workers whose jobs.queues include it run this job's runs. Empty: default."
          />
          <Input
            label="Priority"
            type="number"
            min={-100}
            max={100}
            value={draft.priority}
            onChange={(event) => set('priority', event.target.value)}
            error={errors.priority}
            help="From −100 to 100: within its queue, a run of higher priority starts first."
          />
          <Select
            label="When the previous run is still going"
            value={draft.overlapPolicy}
            onChange={(event) => set('overlapPolicy', event.target.value as OverlapPolicy)}
            error={errors.overlapPolicy}
            options={[
              { value: 'SKIP', label: 'Skip the new run' },
              { value: 'QUEUE', label: 'Queue it until the previous one ends' },
              { value: 'ALLOW', label: 'Run both at once' },
            ]}
          />
          <Select
            label="Runs missed while the server was down"
            value={draft.misfirePolicy}
            onChange={(event) => set('misfirePolicy', event.target.value as MisfirePolicy)}
            error={errors.misfirePolicy}
            options={[
              { value: 'CATCH_UP_ONCE', label: 'Run once to catch up' },
              { value: 'SKIP', label: 'Skip them' },
            ]}
          />
        </div>
      </Section>

      <Section title="Notifications" description="Who hears about a run's outcome, by e-mail or webhook. Sending never holds up the run; failed sends are retried.">
        <NotificationsEditor draft={draft.notifications} onChange={(notifications) => set('notifications', notifications)} targets={targets} errors={errors} />
      </Section>

      <Section title="Follow-ups" description="Jobs to start when a run of this job ends, with args taken from the run that ended.">
        <FollowUpsEditor
          drafts={draft.followUps}
          onChange={(followUps) => set('followUps', followUps)}
          jobId={job?.id ?? null}
          errors={errors}
        />
      </Section>

      <div className="fixed inset-x-0 bottom-0 z-20 border-t border-stone-200 bg-white/90 backdrop-blur lg:left-56 dark:border-stone-800 dark:bg-stone-900/90">
        <div className="mx-auto flex max-w-6xl items-center justify-end gap-3 px-4 py-3 md:px-6 lg:px-8">
          {dirty && <span className="mr-auto text-sm text-stone-500 dark:text-stone-400">Unsaved changes</span>}
          <Button onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={saving} disabledReason={!argsValid ? 'Fix the args JSON first' : null}>
            {submitLabel}
          </Button>
        </div>
      </div>

      <ConfirmDialog
        open={blocker.state === 'blocked'}
        onClose={() => blocker.reset?.()}
        title="Leave without saving?"
        confirmLabel="Discard changes"
        onConfirm={async () => {
          blocker.proceed?.();
        }}
      >
        <p>Your changes to this job are not saved. They will be lost.</p>
      </ConfirmDialog>
    </form>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card title={title} description={description}>
      <div className="flex flex-col gap-5">{children}</div>
    </Card>
  );
}

/** A field's message as a sentence about it: "is required" at Name → "Name is required". */
function inWords(label: string, message: string | undefined): string | undefined {
  return message ? `${label} ${message}` : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
