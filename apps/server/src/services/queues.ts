// Queues as people see them: which queues live workers take (the "workers" rows each worker beats, engine/workers.ts),
// and why a queued run waits when no live worker takes its queue ("waiting for a worker that takes queue reports").
// A worker is live while its last beat is younger than jobs.stale_after_ms.
import type pg from 'pg';
import type { PrismaClient, Run } from '../db/prisma.js';
import { queuesWithoutWorker } from '../db/sql/workers/queues-without-worker.js';

/** How long the live workers' queues, once read, answer for (a page of runs asks for each run). */
const LIVE_READ_MS = 1000;

export interface QueueWithoutWorker {
  queue: string;
  /** Top-level runs queued in it. */
  waiting: number;
}

interface LiveQueues {
  all: boolean;
  queues: Set<string>;
  readAt: number;
}

export class QueueService {
  private live: Promise<LiveQueues> | null = null;

  constructor(private readonly deps: { prisma: PrismaClient; pool: pg.Pool; workerStaleAfterMs: number }) {}

  /** Why a queued top-level run does not start yet, when no live worker takes its queue; null otherwise. */
  async waitingReason(run: Pick<Run, 'status' | 'parentRunId' | 'queue'>): Promise<string | null> {
    if (run.status !== 'QUEUED' || run.parentRunId !== null) return null;
    const live = await this.liveQueues();
    return live.all || live.queues.has(run.queue) ? null : `waiting for a worker that takes queue ${run.queue}`;
  }

  /** The queues with queued runs that no live worker takes, for /healthz. */
  withoutWorker(): Promise<QueueWithoutWorker[]> {
    return queuesWithoutWorker(this.deps.pool, { queues: null, aliveSince: new Date(Date.now() - this.deps.workerStaleAfterMs) });
  }

  private liveQueues(): Promise<LiveQueues> {
    const current = this.live;
    if (current) {
      return current.then((live) => (Date.now() - live.readAt < LIVE_READ_MS ? live : this.readLive()));
    }
    return this.readLive();
  }

  private readLive(): Promise<LiveQueues> {
    const read = this.deps.prisma.worker
      .findMany({ where: { heartbeatAt: { gte: new Date(Date.now() - this.deps.workerStaleAfterMs) } }, select: { allQueues: true, queues: true } })
      .then((workers) => ({
        all: workers.some((worker) => worker.allQueues),
        queues: new Set(workers.flatMap((worker) => worker.queues)),
        readAt: Date.now(),
      }));
    this.live = read;
    read.catch(() => {
      if (this.live === read) this.live = null;
    });
    return read;
  }
}
