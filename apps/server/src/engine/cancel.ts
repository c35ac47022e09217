// A user's cancel: a run not yet claimed is cancelled at once (with its queued children); a running one is asked
// to stop (CANCELLING), and its worker aborts the action's signal at its next heartbeat. Conditional updates: whatever the worker does meanwhile, exactly one transition wins.
// A run cancelled before it started starts its job's follow-ups for CANCELLED in the same transaction.
import type { Run } from '../db/prisma.js';
import { prismaSql } from '../db/sql/client.js';
import { startFollowUps, type ChainedRun } from '../db/sql/runs/follow-ups.js';
import { followUpSettings, handOverFollowUps } from './chains.js';
import { publishRun, type EngineResources } from './resources.js';
import { CLAIMABLE_STATUSES, statusesThatMayBecome } from './transitions.js';

export class Cancelling {
  constructor(private readonly resources: Pick<EngineResources, 'prisma' | 'bus' | 'actions' | 'dispatcher' | 'logger'>) {}

  /** The run as cancelled or cancelling; null when its status changed meanwhile (ask again). */
  async cancel(id: string): Promise<Run | null> {
    const now = new Date();
    const { queued, followUps } = await this.resources.prisma.$transaction(async (tx): Promise<{ queued: Run | undefined; followUps: ChainedRun[] }> => {
      const [row] = await tx.run.updateManyAndReturn({
        where: { id, status: { in: [...CLAIMABLE_STATUSES] } },
        data: { status: 'CANCELLED', statusReason: 'cancelled before it started', finishedAt: now },
      });
      if (!row) return { queued: row, followUps: [] };
      await tx.run.updateMany({
        where: { parentRunId: id, status: { in: [...CLAIMABLE_STATUSES] } },
        data: { status: 'CANCELLED', statusReason: 'parent run cancelled', finishedAt: now },
      });
      return { queued: row, followUps: await startFollowUps(prismaSql(tx), [row.id], followUpSettings(this.resources.actions)) };
    });
    if (queued) {
      publishRun(this.resources, queued);
      await handOverFollowUps(this.resources, followUps);
      return queued;
    }
    const [running] = await this.resources.prisma.run.updateManyAndReturn({
      where: { id, status: { in: [...statusesThatMayBecome('CANCELLING')] } },
      data: { status: 'CANCELLING', statusReason: 'cancel requested' },
    });
    if (!running) return null;
    publishRun(this.resources, running);
    return running;
  }
}
