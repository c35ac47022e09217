// The job form's "Notifications" section: which run outcomes notify, and whom (e-mail addresses, users, roles,
// webhook URLs). The server checks the values on save; its messages show at the fields here.
import { useId } from 'react';
import type { NotificationOutcome } from '../../gql/graphql';
import { Alert } from '../ui/Alert';
import { Checkbox } from '../ui/Checkbox';
import { RolePicker } from '../pickers/RolePicker';
import { UserPicker } from '../pickers/UserPicker';
import { Textarea } from '../ui/Textarea';
import type { TargetOptions } from './JobForm';

export interface NotificationsDraft {
  notifyOn: NotificationOutcome[];
  /** One address per line (commas also separate). */
  notifyEmails: string;
  notifyUserIds: string[];
  notifyRoleIds: string[];
  /** One URL per line. */
  notifyWebhooks: string;
}

/** The outcomes in the order the form and the job page show them, with how people say them. */
export const OUTCOME_CHOICES: { value: NotificationOutcome; label: string; help?: string }[] = [
  { value: 'FAILED', label: 'Fails' },
  { value: 'TIMED_OUT', label: 'Times out' },
  { value: 'INTERRUPTED', label: 'Is interrupted', help: 'Its worker was lost and no attempts were left.' },
  { value: 'PARTIALLY_SUCCEEDED', label: 'Partially succeeds', help: 'Per-user runs where some users failed.' },
  { value: 'SUCCEEDED', label: 'Succeeds' },
  { value: 'RECOVERED', label: 'Is back to normal', help: 'Succeeds after a run that did not. With “Succeeds” too, such a run notifies once.' },
];

export const emptyNotificationsDraft = (): NotificationsDraft => ({ notifyOn: [], notifyEmails: '', notifyUserIds: [], notifyRoleIds: [], notifyWebhooks: '' });

/** Lines (and, for e-mails, commas) as a list, without blanks. */
export function splitList(text: string, commas: boolean): string[] {
  return text
    .split(commas ? /[\n,;]/ : /\n/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function notificationsInput(draft: NotificationsDraft) {
  return {
    notifyOn: draft.notifyOn,
    notifyEmails: splitList(draft.notifyEmails, true),
    notifyUserIds: draft.notifyUserIds,
    notifyRoleIds: draft.notifyRoleIds,
    notifyWebhooks: splitList(draft.notifyWebhooks, false),
  };
}

export function NotificationsEditor({
  draft,
  onChange,
  targets,
  errors,
}: {
  draft: NotificationsDraft;
  onChange: (draft: NotificationsDraft) => void;
  targets: TargetOptions;
  errors: Record<string, string>;
}) {
  const legendId = useId();
  const set = <K extends keyof NotificationsDraft>(key: K, value: NotificationsDraft[K]) => onChange({ ...draft, [key]: value });
  const toggle = (outcome: NotificationOutcome, on: boolean) =>
    set('notifyOn', OUTCOME_CHOICES.map((choice) => choice.value).filter((value) => (value === outcome ? on : draft.notifyOn.includes(value))));
  const input = notificationsInput(draft);
  const hasRecipients = input.notifyEmails.length + input.notifyUserIds.length + input.notifyRoleIds.length + input.notifyWebhooks.length > 0;

  return (
    <>
      <fieldset aria-labelledby={legendId} aria-describedby={errors.notifyOn ? `${legendId}-error` : undefined} className="flex flex-col gap-3">
        <legend id={legendId} className="text-sm font-medium text-stone-800 dark:text-stone-200">
          Notify when a run…
        </legend>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {OUTCOME_CHOICES.map((choice) => (
            <Checkbox
              key={choice.value}
              label={choice.label}
              help={choice.help}
              checked={draft.notifyOn.includes(choice.value)}
              onChange={(event) => toggle(choice.value, event.target.checked)}
            />
          ))}
        </div>
        {errors.notifyOn && (
          <p id={`${legendId}-error`} className="text-sm text-red-600 dark:text-red-400">
            {errors.notifyOn}
          </p>
        )}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Textarea
          label="E-mail addresses"
          rows={3}
          value={draft.notifyEmails}
          onChange={(event) => set('notifyEmails', event.target.value)}
          error={errors.notifyEmails}
          placeholder={'ops@example.com\noncall@example.com'}
          help="One per line. Sent through the server's SMTP settings."
        />
        <Textarea
          label="Webhook URLs"
          rows={3}
          code
          value={draft.notifyWebhooks}
          onChange={(event) => set('notifyWebhooks', event.target.value)}
          error={errors.notifyWebhooks}
          placeholder="https://hooks.example.com/sundial"
          help="One per line. Each gets a JSON POST signed with the X-Sundial-Signature header."
        />
        <UserPicker
          label="People to notify"
          known={targets.users}
          value={draft.notifyUserIds}
          onChange={(value) => set('notifyUserIds', value)}
          error={errors.notifyUserIds}
          help="At their e-mail address, while they are active."
        />
        <RolePicker
          label="Notify role members"
          known={targets.roles}
          value={draft.notifyRoleIds}
          onChange={(value) => set('notifyRoleIds', value)}
          error={errors.notifyRoleIds}
          help="Their active members, by e-mail, as they are when the run ends."
        />
      </div>

      {draft.notifyOn.length === 0 && hasRecipients && (
        <Alert tone="info" title="No outcome chosen">
          Recipients are saved, but nobody is notified until you choose at least one outcome above.
        </Alert>
      )}
    </>
  );
}
