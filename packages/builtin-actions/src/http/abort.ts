// Waiting on work that cannot itself be cancelled (a DNS lookup) without outliving the run or request that waits.

/** The promise's outcome, or the signal's reason as soon as it aborts (a DNS lookup cannot be cancelled). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
