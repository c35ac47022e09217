// This worker's presence: a row in "workers" with the queues it takes, beaten every jobs.heartbeat_ms and removed
// when it stops, so a queued run whose queue no live worker takes can say so (services/queues.ts). Each beat also
// brings back the queues that jobs and queued runs name: a worker that takes every queue starts taking a new one
// (the scheduler defines its Agenda processor) within a beat.
import { beatWorker, removeWorker } from '../db/sql/workers/beat.js';
import type { QueueRouting } from './execution.js';
import type { EngineResources } from './resources.js';

export class WorkerPresence {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private beating: Promise<void> | null = null;
  private readonly listeners = new Set<(queues: string[]) => void>();

  constructor(
    private readonly resources: Pick<EngineResources, 'sql' | 'logger' | 'workerId'>,
    private readonly routing: QueueRouting,
    private readonly options: { everyMs: number; staleAfterMs: number },
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
    await removeWorker(this.resources.sql, {
      id: this.resources.workerId,
      lostBefore: new Date(Date.now() - 10 * this.options.staleAfterMs),
    }).catch((error: unknown) => this.resources.logger.warn(`worker: could not remove its presence: ${(error as Error).message}`));
  }

  beat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const queues = await beatWorker(this.resources.sql, { id: this.resources.workerId, queues: this.routing.takes, now: new Date() });
        for (const listener of this.listeners) listener(queues);
      } catch (error) {
        this.resources.logger.warn(`worker: its presence beat failed: ${(error as Error).message}`);
      } finally {
        this.beating = null;
      }
    })();
    return this.beating;
  }
}
