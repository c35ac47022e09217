// The job page's "Notifications" card: which outcomes notify whom, and the latest deliveries (sent, retrying with
// the error that made it retry, or given up). While a retry is close, or just after a run finished (its
// notifications are being written and sent), the card asks the page to re-read.
import { useEffect } from 'react';
import { Link } from 'react-router';
import { type FragmentType, graphql, useFragment } from '../../gql';
import type { NotificationStatus } from '../../gql/graphql';
import { formatDateTime, formatRelative, toDate } from '../../lib/format';
import { Badge, type Tone } from '../ui/Badge';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { OUTCOME_CHOICES } from './NotificationsEditor';

export const JobNotifications_JobFragment = graphql(`
  fragment JobNotifications_JobFragment on Job {
    id
    notifyOn
    notifyEmails
    notifyWebhooks
    notifyUsers {
      id
      name
    }
    notifyRoles {
      id
      name
    }
    lastRun {
      id
      finishedAt
    }
    notificationDeliveries(first: 8) {
      id
      channel
      recipient
      outcome
      status
      attempts
      lastError
      createdAt
      sentAt
      nextAttemptAt
      run {
        id
      }
    }
  }
`);

const STATUS: Record<NotificationStatus, { tone: Tone; label: string }> = {
  SENT: { tone: 'success', label: 'Sent' },
  PENDING: { tone: 'accent', label: 'Pending' },
  FAILED: { tone: 'danger', label: 'Failed' },
};

const outcomeLabel = (value: string) => OUTCOME_CHOICES.find((choice) => choice.value === value)?.label.toLowerCase() ?? value;

/** A retry due within this long makes the card re-read on its own. */
const WATCH_MS = 60_000;
/** For this long after a run finished, its deliveries may still be on their way to the list. */
const JUST_FINISHED_MS = 20_000;

export function JobNotifications(props: { job: FragmentType<typeof JobNotifications_JobFragment>; onRefresh: () => void; refreshing?: boolean }) {
  const job = useFragment(JobNotifications_JobFragment, props.job);
  const { onRefresh } = props;
  const recipients = [
    ...job.notifyEmails.map((email) => ({ key: `e:${email}`, label: email, tone: 'neutral' as const })),
    ...job.notifyUsers.map((user) => ({ key: `u:${user.id}`, label: user.name, tone: 'neutral' as const })),
    ...job.notifyRoles.map((role) => ({ key: `r:${role.id}`, label: `role: ${role.name}`, tone: 'accent' as const })),
    ...job.notifyWebhooks.map((url) => ({ key: `w:${url}`, label: webhookLabel(url), tone: 'info' as const })),
  ];
  const finished = toDate(job.lastRun?.finishedAt);
  const justFinished = job.notifyOn.length > 0 && finished !== null && Date.now() - finished.getTime() < JUST_FINISHED_MS;
  const soon =
    justFinished ||
    job.notificationDeliveries.some((delivery) => {
      const next = toDate(delivery.nextAttemptAt);
      return delivery.status === 'PENDING' && (!next || next.getTime() - Date.now() < WATCH_MS);
    });
  useEffect(() => {
    if (!soon) return;
    const timer = setInterval(onRefresh, 3000);
    return () => clearInterval(timer);
  }, [soon, onRefresh]);

  return (
    <Card
      title="Notifications"
      actions={
        (job.notifyOn.length > 0 || job.notificationDeliveries.length > 0) && (
          <Button size="sm" onClick={onRefresh} loading={props.refreshing}>
            Refresh
          </Button>
        )
      }
    >
      {job.notifyOn.length === 0 ? (
        <p className="text-sm text-stone-500 dark:text-stone-400">Nobody is notified about this job's runs. Edit the job to choose outcomes and recipients.</p>
      ) : (
        <dl className="flex flex-col gap-3 text-sm">
          <div>
            <dt className="text-xs font-medium text-stone-500 dark:text-stone-400">When a run</dt>
            <dd className="mt-1" data-testid="notify-on">
              {job.notifyOn.map(outcomeLabel).join(', ')}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-stone-500 dark:text-stone-400">Notify</dt>
            <dd className="mt-1 flex flex-wrap gap-1.5">
              {recipients.map((recipient) => (
                <Badge key={recipient.key} tone={recipient.tone} dot={false}>
                  {recipient.label}
                </Badge>
              ))}
            </dd>
          </div>
        </dl>
      )}
      {job.notificationDeliveries.length > 0 && (
        <div className="mt-4 border-t border-stone-100 pt-3 dark:border-stone-800">
          <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase dark:text-stone-400">Latest deliveries</h3>
          <ul aria-label="Latest notification deliveries" className="mt-2 flex flex-col gap-2.5 text-sm">
            {job.notificationDeliveries.map((delivery) => (
              <li key={delivery.id} className="flex flex-col gap-0.5">
                <div className="flex items-center gap-2">
                  <Badge tone={STATUS[delivery.status].tone}>{STATUS[delivery.status].label}</Badge>
                  <span className="min-w-0 truncate" title={delivery.recipient}>
                    {delivery.channel === 'WEBHOOK' ? webhookLabel(delivery.recipient) : delivery.recipient}
                  </span>
                </div>
                <p className="text-xs text-stone-500 dark:text-stone-400">
                  <Link to={`/runs/${delivery.run.id}`} className="underline-offset-2 hover:underline">
                    Run {outcomeLabel(delivery.outcome)}
                  </Link>
                  {' · '}
                  {delivery.status === 'SENT' && delivery.sentAt
                    ? `sent ${formatDateTime(delivery.sentAt)}`
                    : `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`}
                  {delivery.status === 'PENDING' && delivery.nextAttemptAt != null ? ` · next ${formatRelative(delivery.nextAttemptAt)}` : null}
                </p>
                {delivery.lastError && delivery.status !== 'SENT' && (
                  <p className="text-xs break-words text-red-600 dark:text-red-400">{delivery.lastError}</p>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

/** A webhook as a badge shows it: host and path, not the query (tokens often live there). */
function webhookLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}
