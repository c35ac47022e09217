// The signed-in user's inbox: messages notify.users jobs sent them, newest first. Everyone who can sign in has
// one (no permission needed); it shows only their own messages. Unread filter, mark one or all read, pages.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { InboxIcon } from '../components/inbox/InboxIcon';
import { InboxMessageItem } from '../components/inbox/InboxMessageItem';
import { INBOX_CONTEXT } from '../components/inbox/UnreadInboxBadge';
import { Button } from '../components/ui/Button';
import { EmptyState } from '../components/ui/EmptyState';
import { CheckIcon } from '../components/ui/icons';
import { ListBody, ListPage } from '../components/ui/ListPage';
import { useToast } from '../components/ui/Toasts';
import { graphql } from '../gql';
import { describeError } from '../lib/errors';
import { useCursorPages } from '../lib/useCursorPages';

const InboxPageQuery = graphql(`
  query InboxPageQuery($unreadOnly: Boolean, $first: Int, $after: String) {
    viewer {
      userId
      unreadInboxCount
      inbox(unreadOnly: $unreadOnly, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...InboxMessageItem_Fragment
          }
        }
      }
    }
  }
`);

const MarkAllInboxMessagesReadMutation = graphql(`
  mutation MarkAllInboxMessagesReadMutation {
    markAllInboxMessagesRead
  }
`);

const PAGE_SIZE = 20;
type Show = 'all' | 'unread';

export default function InboxPage() {
  const [show, setShow] = useState<Show>('all');
  const pages = useCursorPages(PAGE_SIZE, show);
  const query = useQuery({
    query: InboxPageQuery,
    variables: { unreadOnly: show === 'unread', first: pages.first, after: pages.after },
    context: INBOX_CONTEXT,
  });
  const [{ data }, reexecute] = query;
  const [{ fetching: markingAll }, markAll] = useMutation(MarkAllInboxMessagesReadMutation);
  const toast = useToast();
  const unread = data?.viewer?.unreadInboxCount ?? 0;

  const onMarkAll = async () => {
    const result = await markAll({}, INBOX_CONTEXT);
    if (result.error) {
      toast({ tone: 'danger', title: 'Could not mark the messages read', description: describeError(result.error) });
      return;
    }
    const count = result.data?.markAllInboxMessagesRead ?? 0;
    toast({ title: count === 1 ? '1 message marked read' : `${count} messages marked read` });
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <ListPage
      title="Inbox"
      description="Messages your jobs sent you (the notify.users action). Only you see them."
      actions={
        <Button icon={<CheckIcon />} onClick={onMarkAll} loading={markingAll} disabledReason={unread === 0 ? 'Nothing is unread' : null}>
          Mark all read
        </Button>
      }
      above={
        <div role="group" aria-label="Show" className="mb-4 flex gap-2">
          {(['all', 'unread'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={show === option}
              onClick={() => setShow(option)}
              className="rounded-full border border-stone-200 px-3 py-1 text-sm text-stone-600 hover:border-amber-400 hover:text-amber-800 focus-visible:outline-2 focus-visible:outline-amber-500 aria-pressed:border-amber-500 aria-pressed:bg-amber-50 aria-pressed:text-amber-900 dark:border-stone-700 dark:text-stone-300 dark:hover:text-amber-200 dark:aria-pressed:bg-amber-400/10 dark:aria-pressed:text-amber-200"
            >
              {option === 'all' ? 'All' : `Unread${data ? ` (${unread})` : ''}`}
            </button>
          ))}
        </div>
      }
    >
      <ListBody
        query={query}
        list={data?.viewer?.inbox}
        errorTitle="Could not load your inbox"
        loading={{ columns: 3, label: 'Loading messages' }}
        filtered={show === 'unread'}
        empty={
          <EmptyState icon={<InboxIcon />} title="Your inbox is empty">
            Jobs that run the <code className="font-mono">notify.users</code> action with the inbox channel put their
            messages here — for example a daily reminder for each user a job targets.
          </EmptyState>
        }
        noMatch={
          <EmptyState icon={<InboxIcon />} title="Nothing unread">
            You have read every message.
          </EmptyState>
        }
        pages={{ pages, noun: 'messages', whenPaged: true }}
      >
        {(inbox) => (
          <ul aria-label="Messages" className="divide-y divide-stone-100 dark:divide-stone-800">
            {inbox.edges.map((edge) => (
              <InboxMessageItem key={edge.node.id} message={edge.node} />
            ))}
          </ul>
        )}
      </ListBody>
    </ListPage>
  );
}
