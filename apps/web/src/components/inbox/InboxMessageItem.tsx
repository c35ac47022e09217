// One message of the inbox: subject, when, the text as written (plain text, line breaks kept), and "Mark read"
// while it is unread. Unread messages stand out by a dot and weight, not by colour alone.
import { useMutation } from 'urql';
import { type FragmentType, graphql, useFragment } from '../../gql';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { Button } from '../ui/Button';
import { CheckIcon } from '../ui/icons';
import { useToast } from '../ui/Toasts';
import { cx } from '../../lib/cx';
import { INBOX_CONTEXT } from './UnreadInboxBadge';

export const InboxMessageItem_Fragment = graphql(`
  fragment InboxMessageItem_Fragment on InboxMessage {
    id
    subject
    body
    createdAt
    readAt
  }
`);

const MarkInboxMessageReadMutation = graphql(`
  mutation MarkInboxMessageReadMutation($id: ID!) {
    markInboxMessageRead(id: $id) {
      id
      readAt
    }
  }
`);

export function InboxMessageItem(props: { message: FragmentType<typeof InboxMessageItem_Fragment> }) {
  const message = useFragment(InboxMessageItem_Fragment, props.message);
  const [{ fetching }, markRead] = useMutation(MarkInboxMessageReadMutation);
  const toast = useToast();
  const unread = message.readAt === null;
  const headingId = `inbox-message-${message.id}`;

  const onMarkRead = async () => {
    const result = await markRead({ id: message.id }, INBOX_CONTEXT);
    if (result.error) toast({ tone: 'danger', title: 'Could not mark the message read', description: describeError(result.error) });
  };

  return (
    <li>
      <article aria-labelledby={headingId} className={cx('flex gap-3 px-5 py-4', unread && 'bg-amber-50/40 dark:bg-amber-400/5')}>
        <span
          aria-hidden="true"
          className={cx('mt-2 size-2 shrink-0 rounded-full', unread ? 'bg-amber-500' : 'bg-transparent')}
        />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
            <h2 id={headingId} className={cx('text-sm break-words', unread ? 'font-semibold' : 'font-medium text-stone-700 dark:text-stone-300')}>
              {message.subject}
              {unread && <span className="sr-only"> (unread)</span>}
            </h2>
            <time dateTime={String(message.createdAt)} title={formatDateTime(message.createdAt, { seconds: true })} className="text-xs text-stone-500 dark:text-stone-400">
              {formatRelative(message.createdAt)}
            </time>
          </div>
          <p className="mt-1 text-sm whitespace-pre-line break-words text-stone-600 dark:text-stone-400">{message.body}</p>
        </div>
        {unread && (
          <div className="shrink-0 self-center">
            <Button size="sm" variant="ghost" icon={<CheckIcon />} onClick={onMarkRead} loading={fetching} aria-label={`Mark "${message.subject}" read`}>
              Mark read
            </Button>
          </div>
        )}
      </article>
    </li>
  );
}
