// The run engine: every run state transition has its home here, one class per concern sharing one resources
// object (engine/resources.ts). Creation (create.ts, the one insert path), claim and start (execution.ts), one
// attempt (attempt.ts), endings and the retry decision (finish.ts), per-user fan-out and roll-up (fan-out.ts),
// schedule occurrences with their policies (occurrences.ts) and the clock that fires them (clock.ts), cancel (cancel.ts), heartbeats (heartbeat.ts), lost
// workers (sweeper.ts) and crash leftovers (repair.ts). Which status may become which is transitions.ts. The
// scheduler (scheduler/) is the adapter around it: wake-ups, and Agenda's timers for runs due later.
import { AttemptRunner } from './attempt.js';
import { Backfills } from './backfill.js';
import { Cancelling } from './cancel.js';
import { SlotClock } from './clock.js';
import { RunCreation } from './create.js';
import { Executor } from './execution.js';
import { FanOut } from './fan-out.js';
import { Finishing } from './finish.js';
import { Heartbeat } from './heartbeat.js';
import { Occurrences } from './occurrences.js';
import { Repairer } from './repair.js';
import type { EngineResources } from './resources.js';
import { WorkShare } from './share.js';
import { Sweeper } from './sweeper.js';
import { WorkerPresence } from './workers.js';
import type { QueueRouting } from './execution.js';

export type { EngineResources, RunDispatcher, DispatchOptions } from './resources.js';
export { DEFAULT_QUEUE, type QueueRouting, type RunEntry } from './execution.js';

export interface RunEngineOptions {
  heartbeatMs: number;
  /** Runs this worker executes at once (jobs.concurrency). */
  concurrency: number;
  /** A run without a heartbeat for this long lost its worker (jobs.stale_after_ms). */
  staleAfterMs: number;
  misfireThresholdMs: number;
  /**
   * scheduler.process_every_ms: how often the slot clock reads the timers due soon, how late another worker takes a
   * slot over, and how often an idle worker looks for queued runs no wake-up announced.
   */
  pollMs: number;
  /** The queues this worker takes and the queues' concurrency limits (jobs.queues, jobs.queue_concurrency). */
  routing?: QueueRouting;
}

export class RunEngine {
  readonly creation: RunCreation;
  readonly heartbeat: Heartbeat;
  readonly finishing: Finishing;
  readonly executor: Executor;
  readonly occurrences: Occurrences;
  /** Fires the schedules' slots in this worker (engine/clock.ts). */
  readonly clock: SlotClock;
  readonly cancelling: Cancelling;
  readonly backfills: Backfills;
  readonly sweeper: Sweeper;
  readonly repairer: Repairer;
  readonly presence: WorkerPresence;
  /** How this worker shares scheduled runs with the others (engine/share.ts). */
  readonly share: WorkShare;

  private readonly notificationListeners = new Set<(count: number) => void>();

  constructor(base: Omit<EngineResources, 'notificationsQueued'>, options: RunEngineOptions) {
    const resources: EngineResources = {
      ...base,
      notificationsQueued: (count) => {
        for (const listener of this.notificationListeners) listener(count);
      },
    };
    this.creation = new RunCreation(resources);
    this.heartbeat = new Heartbeat(resources, options.heartbeatMs);
    this.finishing = new Finishing(resources);
    const attempts = new AttemptRunner(resources, this.heartbeat);
    const fanOut = new FanOut(resources, { creation: this.creation, attempts, heartbeat: this.heartbeat });
    const routing = options.routing ?? { takes: null, limits: {} };
    this.share = new WorkShare(resources.workerId, options.concurrency);
    this.executor = new Executor(
      resources,
      { heartbeat: this.heartbeat, attempts, finishing: this.finishing, fanOut, share: this.share },
      options.concurrency,
      routing,
      options.pollMs,
    );
    const executor = this.executor;
    this.presence = new WorkerPresence(resources, routing, { everyMs: options.heartbeatMs, staleAfterMs: options.staleAfterMs }, { inUse: () => executor.slotsInUse, share: this.share });
    this.occurrences = new Occurrences(resources, this.creation, options.misfireThresholdMs);
    this.clock = new SlotClock(resources, this.occurrences, this.share, { pollMs: options.pollMs, takeoverMs: options.pollMs });
    this.cancelling = new Cancelling(resources);
    this.backfills = new Backfills(resources, this.creation, this.cancelling);
    this.sweeper = new Sweeper(
      resources,
      {
        staleAfterMs: options.staleAfterMs,
        lostAfterMs: Math.min(options.staleAfterMs, Math.max(2 * options.heartbeatMs, 2000)),
        everyMs: Math.max(250, Math.min(options.heartbeatMs, options.staleAfterMs / 2)),
      },
      this.presence,
    );
    this.repairer = new Repairer(resources, this.occurrences, { everyMs: Math.max(options.staleAfterMs, 5000) });
  }

  /** Hears when runs' endings wrote notification outbox rows (the delivery loop looks at once). */
  onNotificationsQueued(listener: (count: number) => void): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** This process executes runs and fires schedules from now on (jobs.enabled): heartbeats, sweeps and repairs too. */
  async startWorking(): Promise<void> {
    await this.presence.start();
    this.heartbeat.start();
    this.executor.start();
    this.sweeper.start();
    this.repairer.start();
    await this.occurrences.restoreNextSlots();
    await this.clock.start();
  }

  /** Claims no more runs and fires no more slots; the ones claimed finish. */
  stopTakingWork(): void {
    this.executor.stopTakingWork();
    void this.clock.stop();
  }

  async stop(): Promise<void> {
    this.executor.stopTakingWork();
    await this.clock.stop();
    this.heartbeat.stop();
    await Promise.all([this.sweeper.stop(), this.repairer.stop(), this.presence.stop()]);
  }
}
