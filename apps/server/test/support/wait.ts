// Polling for tests that wait on real processes and databases: no fixed sleeps, a bound only against hanging.
/** Polls until probe returns something truthy; the timeout only bounds a test that would otherwise hang. */
export async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  /** What the failure message should show of the state it gave up on. */
  explain?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const state = explain ? `\n${await explain().catch((error: unknown) => String(error))}` : '';
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${state}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
