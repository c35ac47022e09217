/**
 * examples.import-records — an incremental import driven by `since` (the pattern of InvenioRDM's harvesting jobs).
 *
 * `since` is the start of this job's last succeeded run (or the "since" given to Run now), so each run fetches
 * only what changed after it; null means no run succeeded yet, and it imports everything. The next run's
 * `since` is this run's start, so a record changed while this run works is fetched again next time, never lost.
 *
 * The remote source is simulated and deterministic: it holds one record modified every `everyMinutes` since
 * 2026-01-01T00:00:00Z. The action fetches records modified in (since, until] in batches, reports progress after
 * each batch and stops between batches when the run is cancelled or times out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { defineAction, z } from '@sundial/actions';

/** The first record of the simulated source. */
export const SOURCE_ORIGIN = new Date('2026-01-01T00:00:00Z');

const args = z.object({
  source: z.string().trim().min(1).max(100).default('demo').describe('Name of the source (a label in this example)'),
  everyMinutes: z.number().int().min(1).max(1440).default(60).describe('The simulated source changes a record this often'),
  until: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Import records modified up to this instant (ISO 8601); default: now'),
  batchSize: z.number().int().min(1).max(1000).default(100).describe('Records fetched per request'),
  batchDelayMs: z.number().int().min(0).max(60_000).default(0).describe('Simulated latency of each request'),
});

interface RemoteRecord {
  id: string;
  modified: string;
}

/** Waits, but gives up at once when the run is cancelled: the signal's reason is what the run fails with. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  }
}

export default defineAction({
  name: 'examples.import-records',
  description:
    'Imports the records a (simulated) remote source changed since the last successful run; everything the first time.',
  args,
  defaults: { timeoutMs: 15 * 60_000, retries: 3, retryBackoffMs: 30_000 },
  async run({ args, since, log, signal, progress }) {
    const interval = args.everyMinutes * 60_000;
    const until = args.until ? new Date(args.until) : new Date();
    const origin = SOURCE_ORIGIN.getTime();
    // Record k was modified at origin + k·interval. Wanted: since < modified ≤ until.
    const first = since === null ? 0 : Math.max(0, Math.floor((since.getTime() - origin) / interval) + 1);
    const last = Math.floor((until.getTime() - origin) / interval);
    const total = Math.max(0, last - first + 1);

    const mode = since === null ? 'full' : 'incremental';
    log.info(
      since === null
        ? `full import from ${args.source}: no earlier successful run`
        : `incremental import from ${args.source}: records modified after ${since.toISOString()}`,
      { since: since?.toISOString() ?? null, until: until.toISOString(), records: total },
    );
    if (since !== null && since > until) log.warn('since is after until: nothing to import');
    progress(0, total);

    let imported = 0;
    let batches = 0;
    let newest: RemoteRecord | null = null;
    while (imported < total) {
      signal.throwIfAborted();
      await pause(args.batchDelayMs, signal);
      const size = Math.min(args.batchSize, total - imported);
      const batch: RemoteRecord[] = Array.from({ length: size }, (_, offset) => {
        const k = first + imported + offset;
        return { id: `${args.source}-${k}`, modified: new Date(origin + k * interval).toISOString() };
      });
      imported += batch.length;
      batches += 1;
      newest = batch.at(-1) ?? newest;
      log.debug(`batch ${batches}: ${batch.length} records`, { firstId: batch[0]?.id, lastId: newest?.id });
      progress(imported, total);
    }

    log.info(`imported ${imported} records from ${args.source} in ${batches} batches`);
    return { source: args.source, mode, since: since?.toISOString() ?? null, until: until.toISOString(), imported, batches, newest };
  },
});
