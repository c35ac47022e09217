// Repairs what a crash between two steps can leave behind, while other workers keep running:
// - a queued run whose queue entry was never saved (created, then the process died before dispatching it);
// - an enabled scheduled job without a next slot (restored from a backup, say), which the slot clock would never see.
// Both are rare, both would otherwise wait for a restart; a periodic pass puts them back. The queue is the
// scheduler's: it hands it in.
import type { Occurrences } from './occurrences.js';
import type { EngineResources } from './resources.js';

/** What the repair needs of the scheduler's queue. */
export interface RepairQueue {
  /** Whether a queue entry still holds the run. */
  hasEntry(runId: string, queue: string): Promise<boolean>;
}

export class Repairer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly resources: Pick<EngineResources, 'prisma' | 'dispatcher' | 'logger'>,
    private readonly queue: RepairQueue,
    private readonly occurrences: Pick<Occurrences, 'restoreNextSlots'>,
    /**
     * Runs queued for longer than orphanAfterMs without a queue entry naming them are dispatched again. A run whose
     * place another entry holds (a claim took that entry's run instead, engine/execution.ts) may get a second one:
     * the extra entry claims another run or nothing.
     */
    private readonly options: { everyMs: number; orphanAfterMs: number },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.pass(), this.options.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  pass(): Promise<void> {
    this.running ??= (async () => {
      try {
        const redispatched = await this.redispatchOrphans();
        const restored = await this.occurrences.restoreNextSlots();
        if (redispatched > 0 || restored > 0) {
          this.resources.logger.warn(`repair: ${redispatched} queued run(s) dispatched again, ${restored} job(s) given back a next slot`);
        }
      } catch (error) {
        this.resources.logger.warn(`repair: ${(error as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async redispatchOrphans(): Promise<number> {
    const cutoff = new Date(Date.now() - this.options.orphanAfterMs);
    const candidates = await this.resources.prisma.run.findMany({
      where: { status: 'QUEUED', parentRunId: null, createdAt: { lt: cutoff } },
      select: { id: true, attempt: true, jobId: true, queue: true, priority: true },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
    let redispatched = 0;
    for (const run of candidates) {
      if (await this.queue.hasEntry(run.id, run.queue)) continue;
      await this.resources.dispatcher.dispatch(run, { priority: run.priority });
      redispatched += 1;
    }
    return redispatched;
  }
}
