// This worker's presence: a row in "workers" with the queues it takes, beaten every jobs.heartbeat_ms and removed
// when it stops, so a queued run whose queue no live worker takes can say so (services/queues.ts). Each beat also
// brings back the queues that jobs and queued runs name: a worker that takes every queue starts taking a new one
// (the scheduler defines its Agenda processor) within a beat. The beat records this worker's runs in progress and
// reads the other live workers', which place scheduled runs among the workers (engine/share.ts).
// Its liveness lock, held on a session of its own from start to stop, ends with the process: the other workers'
// sweepers see it gone and take back its runs without waiting for jobs.stale_after_ms (engine/sweeper.ts).
import { keepSession, type Session } from '../db/session.js';
import { beatWorker, readPeerLoads, removeWorker } from '../db/sql/workers/beat.js';
import { holdLiveness } from '../db/sql/workers/liveness.js';
import type { QueueRouting } from './execution.js';
import type { EngineResources } from './resources.js';
import type { WorkShare } from './share.js';

export class WorkerPresence {
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private beating: Promise<void> | null = null;
  private liveness: Session | null = null;
  private readonly listeners = new Set<(queues: string[]) => void>();

  constructor(
    private readonly resources: Pick<EngineResources, 'sql' | 'logger' | 'workerId' | 'databaseUrl'>,
    private readonly routing: QueueRouting,
    private readonly options: { everyMs: number; staleAfterMs: number },
    /** This worker's runs in its slots now, and where the other workers' loads go at each beat. */
    private readonly load: { inUse(): number; share: WorkShare },
  ) {}

  /** Hears the queues jobs and queued runs name, at each beat. */
  onQueues(listener: (queues: string[]) => void): void {
    this.listeners.add(listener);
  }

  /** Since when (Date.now()) this worker has held its liveness lock without a break; null while it does not. */
  get livenessSince(): number | null {
    return this.liveness?.since ?? null;
  }

  /**
   * Takes the liveness lock and records this worker at once (so it counts as live before its first run), then
   * beats. Throws when the lock's session cannot open: a worker must not claim runs its peers could not see end.
   */
  async start(): Promise<void> {
    const { workerId, logger, databaseUrl } = this.resources;
    let reopening = false;
    this.liveness ??= await keepSession({
      url: databaseUrl,
      logger,
      what: 'worker: its liveness connection',
      // A lost connection during a database restart must come back well within the sweepers' wait (engine/sweeper.ts).
      maxBackoffMs: 1000,
      async setUp(client) {
        // Reopening, the lost connection may not have ended on the server yet and still hold the lock: wait for it.
        const held = await holdLiveness(client, workerId, { wait: reopening });
        reopening = true;
        // At start, only a worker whose id hashes alike holds it. Its lock covers this one's runs too, which then
        // wait for the heartbeat cutoff if that worker dies first.
        if (!held) logger.warn(`worker: another worker holds the liveness lock of ${workerId}`);
      },
    });
    this.started = true;
    this.timer ??= setInterval(() => void this.beat(), this.options.everyMs);
    this.timer.unref();
    await this.beat();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    if (this.started) {
      this.started = false;
      this.load.share.clear();
      await removeWorker(this.resources.sql, {
        id: this.resources.workerId,
        lostBefore: new Date(Date.now() - 10 * this.options.staleAfterMs),
      }).catch((error: unknown) => this.resources.logger.warn(`worker: could not remove its presence: ${(error as Error).message}`));
    }
    // Released last: the runs this worker leaves behind are its peers' from then on.
    await this.liveness?.close();
    this.liveness = null;
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
