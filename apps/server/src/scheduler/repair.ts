// Repairs what a crash between two steps can leave behind, while other workers keep running:
// - a queued run whose Agenda entry was never saved (created, then the process died before dispatching it);
// - an enabled scheduled job without its timer (a worker killed while firing it).
// Both are rare, both would otherwise wait for a restart; a periodic pass puts them back.
import type { Agenda } from 'agenda';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../lib/logger.js';
import type { JobTimers } from '../services/jobs.js';
import type { RunDispatcher } from '../services/runs.js';
import type { SchedulerBackendName } from './agenda.js';
import { entryFilters, RUN_JOB } from './dispatcher.js';
import { reconcileTimers } from './occurrences.js';

export interface RepairDeps {
  prisma: PrismaClient;
  agenda: Agenda;
  backend: SchedulerBackendName;
  timers: JobTimers;
  dispatcher: RunDispatcher;
  logger: Logger;
}

export class Repairer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: RepairDeps,
    /** Runs queued for longer than this without an Agenda entry are dispatched again. */
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
        const { removed } = await reconcileTimers(this.deps.prisma, this.deps.agenda, this.deps.timers);
        if (redispatched > 0 || removed > 0) {
          this.deps.logger.warn(`repair: ${redispatched} queued run(s) dispatched again, ${removed} stale timer(s) removed`);
        }
      } catch (error) {
        this.deps.logger.warn(`repair: ${(error as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async redispatchOrphans(): Promise<number> {
    const cutoff = new Date(Date.now() - this.options.orphanAfterMs);
    const candidates = await this.deps.prisma.run.findMany({
      where: { status: 'QUEUED', parentRunId: null, createdAt: { lt: cutoff } },
      select: { id: true, attempt: true, jobId: true, job: { select: { priority: true } } },
      orderBy: { createdAt: 'asc' },
      take: 200,
    });
    let redispatched = 0;
    for (const run of candidates) {
      if (await this.hasQueueEntry(run.id)) continue;
      await this.deps.dispatcher.dispatch(run, { priority: run.job.priority });
      redispatched += 1;
    }
    return redispatched;
  }

  /** Whether an Agenda entry (a group, or an older version's single-run entry) still holds the run. */
  private async hasQueueEntry(runId: string): Promise<boolean> {
    for (const data of entryFilters(runId, this.deps.backend)) {
      const { total } = await this.deps.agenda.queryJobs({ name: RUN_JOB, data, limit: 1 });
      if (total > 0) return true;
    }
    return false;
  }
}
