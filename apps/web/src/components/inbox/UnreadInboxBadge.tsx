// The unread count next to "Inbox" in the navigation. It refreshes when the viewer moves to another page, every
// 30 seconds while the tab is visible, when the tab comes back into view, and at once after a message is marked
// read (the mutations name InboxMessage, which this query lists as a type it depends on).
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';

const UnreadInboxCountQuery = graphql(`
  query UnreadInboxCountQuery {
    viewer {
      userId
      unreadInboxCount
    }
  }
`);

export const INBOX_CONTEXT = { additionalTypenames: ['InboxMessage'] };
const POLL_MS = 30_000;

export function useUnreadInboxCount(): number | null {
  const [{ data }, reexecute] = useQuery({ query: UnreadInboxCountQuery, context: INBOX_CONTEXT });
  const { pathname } = useLocation();
  useEffect(() => {
    reexecute({ requestPolicy: 'network-only' });
  }, [pathname, reexecute]);
  useEffect(() => {
    const refresh = () => {
      if (document.visibilityState === 'visible') reexecute({ requestPolicy: 'network-only' });
    };
    const timer = setInterval(refresh, POLL_MS);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [reexecute]);
  return data?.viewer?.unreadInboxCount ?? null;
}

/** "3" in an amber pill, with the words for screen readers; nothing when all is read. */
export function UnreadInboxBadge() {
  const count = useUnreadInboxCount();
  if (!count) return null;
  return (
    <span className="ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-amber-500 px-1.5 text-[11px] leading-5 font-semibold text-stone-950 tabular-nums">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="sr-only">{`${count} unread`}</span>
    </span>
  );
}
