// This worker's presence: a row in "workers" with the queues it takes, beaten every jobs.heartbeat_ms and removed
// when it stops, so a queued run whose queue no live worker takes can say so (services/queues.ts). Each beat also
// brings back the queues that jobs and queued runs name: a worker that takes every queue starts taking a new one
// (the scheduler defines its Agenda processor) within a beat. The beat records this worker's runs in progress and
// reads the other live workers', which place scheduled runs among the workers (engine/share.ts).
import { beatWorker, readPeerLoads, removeWorker } from '../db/sql/workers/beat.js';
import type { QueueRouting } from './execution.js';
import type { EngineResources } from './resources.js';
import type { WorkShare } from './share.js';

export class WorkerPresence {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private beating: Promise<void> | null = null;
  private readonly listeners = new Set<(queues: string[]) => void>();

  constructor(
    private readonly resources: Pick<EngineResources, 'sql' | 'logger' | 'workerId'>,
    private readonly routing: QueueRouting,
    private readonly options: { everyMs: number; staleAfterMs: number },
    /** This worker's runs in its slots now, and where the other workers' loads go at each beat. */
    private readonly load: { inUse(): number; share: WorkShare },
  ) {}

  /** Hears the queues jobs and queued runs name, at each beat. */
  onQueues(listener: (queues: string[]) => void): void {
    this.listeners.add(listener);
  }

  /** Records this worker at once (so it counts as live before its first run), then every beat. */
  async start(): Promise<void> {
    this.started = true;
    this.timer ??= setInterval(() => void this.beat(), this.options.everyMs);
    this.timer.unref();
    await this.beat();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    if (!this.started) return;
    this.started = false;
    this.load.share.clear();
    await removeWorker(this.resources.sql, {
      id: this.resources.workerId,
      lostBefore: new Date(Date.now() - 10 * this.options.staleAfterMs),
    }).catch((error: unknown) => this.resources.logger.warn(`worker: could not remove its presence: ${(error as Error).message}`));
  }

  beat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const now = new Date();
        const activeRuns = this.load.inUse();
        const queues = await beatWorker(this.resources.sql, { id: this.resources.workerId, queues: this.routing.takes, activeRuns, now });
        for (const listener of this.listeners) listener(queues);
        const peers = await readPeerLoads(this.resources.sql, { id: this.resources.workerId, aliveSince: new Date(now.getTime() - this.options.staleAfterMs) });
        this.load.share.update(activeRuns, peers);
      } catch (error) {
        this.resources.logger.warn(`worker: its presence beat failed: ${(error as Error).message}`);
      } finally {
        this.beating = null;
      }
    })();
    return this.beating;
  }
}
