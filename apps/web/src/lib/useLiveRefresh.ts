// "Run X changed" arrives over a subscription; the page re-reads what it shows (the trigger.dev pattern) rather
// than patching rows from event payloads. Bursts (a per-user run with hundreds of children) are coalesced.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';

export function useThrottledCallback(callback: () => void, ms: number): () => void {
  const latest = useRef(callback);
  latest.current = callback;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef(false);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const ref = useRef(() => {
    if (timer.current) {
      pending.current = true;
      return;
    }
    latest.current();
    timer.current = setTimeout(function flush() {
      timer.current = null;
      if (pending.current) {
        pending.current = false;
        latest.current();
        timer.current = setTimeout(flush, ms);
      }
    }, ms);
  });
  return ref.current;
}

/**
 * A list page's live refresh: `feed` (a subscription without variables) says something changed, and the first page
 * is read again, at most once a second. Only the first page moves under the reader's eyes; later pages stay put
 * until asked.
 */
export function useLiveFirstPage<Data>(
  feed: TypedDocumentNode<Data, { [key: string]: never }>,
  onFirstPage: boolean,
  reexecute: (context: { requestPolicy: 'network-only' }) => void,
): void {
  const refresh = useThrottledCallback(() => {
    if (onFirstPage) reexecute({ requestPolicy: 'network-only' });
  }, 1000);
  // Each event is a new object: the effect runs once per "something changed".
  const [{ data: changed }] = useSubscription({ query: feed });
  useEffect(() => {
    if (changed) refresh();
  }, [changed, refresh]);
}
