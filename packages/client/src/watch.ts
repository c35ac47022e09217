// watchRun: one async iterator over a run's live status and its log, built from two subscriptions (runUpdated and
// runLogLines) on one transport. It ends once the run has reached a final status and every log line up to the
// run's last stored sequence was delivered. A lost connection is opened again after a backoff, the log resumed
// after the last sequence delivered: no line twice, none missing.
import { ConnectionLost, type Transport } from './transport.js';
import type { ClientRunFragment, ClientRunLogLinesSubscription, ClientRunUpdatedSubscription, RunStatus } from './gql/graphql.js';
import { RunLogLinesDocument, RunUpdatedDocument } from './operations.js';
import { SundialError } from './errors.js';

export type WatchedRun = ClientRunFragment;
export type LogLine = ClientRunLogLinesSubscription['runLogLines']['lines'][number];

export type RunEvent =
  /** The run as it is now: sent first, then at every change of status, attempt or progress. */
  | { type: 'status'; run: WatchedRun }
  /** Consecutive log lines; `lastSequence` is what to pass as `afterSequence` to resume. */
  | { type: 'log'; lines: LogLine[]; lastSequence: number };

/** The statuses after which a run does nothing more. QUEUED after a failure is a retry, not an end. */
export const FINAL_STATUSES: readonly RunStatus[] = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'INTERRUPTED', 'SKIPPED'];

export interface ReconnectOptions {
  /** Reconnections in a row without an event in between before giving up; default 10. */
  attempts?: number;
  /** Wait before reconnection `attempt` (1, 2 …); default 250 ms doubling up to 10 s, with jitter. */
  delayMs?: (attempt: number) => number;
}

export interface WatchRunOptions {
  /** Log lines after this sequence only (0, the default: the whole log). Resume with the last `lastSequence`. */
  afterSequence?: number;
  /** Stops watching: the iterator ends without an error. */
  signal?: AbortSignal;
  reconnect?: ReconnectOptions;
}

const defaultDelay = (attempt: number) => Math.min(10_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

type Incoming = { kind: 'status'; run: WatchedRun | null } | { kind: 'log'; batch: ClientRunLogLinesSubscription['runLogLines'] } | { kind: 'end' } | { kind: 'error'; error: unknown };

/** Both subscriptions' results in arrival order, as one iterator; `close` ends both. */
function merged(transport: Transport, runId: string, afterSequence: number) {
  const queue: Incoming[] = [];
  let wake: (() => void) | null = null;
  const push = (item: Incoming) => {
    queue.push(item);
    wake?.();
  };
  const status = transport.subscribe<ClientRunUpdatedSubscription>({ query: RunUpdatedDocument.toString(), variables: { runId } });
  const log = transport.subscribe<ClientRunLogLinesSubscription>({ query: RunLogLinesDocument.toString(), variables: { runId, afterSequence } });
  let open = 2;
  const pump = async <T>(source: AsyncIterableIterator<T>, map: (value: T) => Incoming) => {
    try {
      for await (const value of source) push(map(value));
      if (--open === 0) push({ kind: 'end' });
    } catch (error) {
      push({ kind: 'error', error });
    }
  };
  void pump(status, (data) => ({ kind: 'status', run: data.runUpdated }));
  void pump(log, (data) => ({ kind: 'log', batch: data.runLogLines }));
  return {
    async next(): Promise<Incoming> {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      return queue.shift()!;
    },
    async close() {
      await Promise.allSettled([status.return?.(), log.return?.()]);
    },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

const statusKey = (run: WatchedRun) => [run.status, run.attempt, run.progressDone, run.progressTotal, run.childrenSucceeded, run.childrenFailed].join('|');

export async function* watchRun(transport: Transport, runId: string, options: WatchRunOptions = {}): AsyncGenerator<RunEvent, void, undefined> {
  const attempts = options.reconnect?.attempts ?? 10;
  const delayMs = options.reconnect?.delayMs ?? defaultDelay;
  const { signal } = options;
  let lastSequence = Math.max(0, options.afterSequence ?? 0);
  let lastStatus = '';
  let final: WatchedRun | null = null;
  let failures = 0;

  while (!signal?.aborted) {
    const stream = merged(transport, runId, lastSequence);
    const onAbort = () => void stream.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    let lost: unknown;
    try {
      for (;;) {
        const item = await stream.next();
        if (signal?.aborted) return;
        if (item.kind === 'error') {
          if (!(item.error instanceof ConnectionLost)) throw item.error;
          lost = item.error;
          break;
        }
        if (item.kind === 'end') {
          // The server ended both streams without a word (it is stopping): as good as a lost connection.
          lost = new ConnectionLost(new Error('the server ended the subscription'));
          break;
        }
        failures = 0;
        if (item.kind === 'status') {
          if (item.run === null) throw new SundialError('NotFoundError', `run ${runId} was deleted`);
          const key = statusKey(item.run);
          if (key !== lastStatus) {
            lastStatus = key;
            yield { type: 'status', run: item.run };
          }
          if (FINAL_STATUSES.includes(item.run.status)) final = item.run;
        } else {
          // After a reconnection the server starts after the sequence asked for; this guards a batch that was in
          // flight when the connection dropped.
          const lines = item.batch.lines.filter((line) => line.sequence > lastSequence);
          if (lines.length > 0) {
            lastSequence = lines[lines.length - 1]!.sequence;
            yield { type: 'log', lines, lastSequence };
          }
        }
        if (final && lastSequence >= final.lastLogSequence) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await stream.close();
    }
    failures += 1;
    if (failures > attempts) throw lost;
    await sleep(delayMs(failures), signal);
  }
}
