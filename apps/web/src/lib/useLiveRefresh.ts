// "Run X changed" arrives over a subscription; the page re-reads what it shows (the trigger.dev pattern) rather
// than patching rows from event payloads. Bursts (a per-user run with hundreds of children) are coalesced.
import { useEffect, useRef } from 'react';

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
