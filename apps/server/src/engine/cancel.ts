// A user's cancel: a run not yet claimed is cancelled at once (with its queued children); a running one is asked
// to stop (CANCELLING), and its worker aborts the action's signal at its next heartbeat. Conditional updates: whatever the worker does meanwhile, exactly one transition wins.
import type { Run } from '../db/prisma.js';
import { publishRun, type EngineResources } from './resources.js';
import { CLAIMABLE_STATUSES, statusesThatMayBecome } from './transitions.js';

export class Cancelling {
  constructor(private readonly resources: Pick<EngineResources, 'prisma' | 'bus'>) {}

  /** The run as cancelled or cancelling; null when its status changed meanwhile (ask again). */
  async cancel(id: string): Promise<Run | null> {
    const now = new Date();
    const [queued] = await this.resources.prisma.run.updateManyAndReturn({
      where: { id, status: { in: [...CLAIMABLE_STATUSES] } },
      data: { status: 'CANCELLED', statusReason: 'cancelled before it started', finishedAt: now },
    });
    if (queued) {
      await this.resources.prisma.run.updateMany({
        where: { parentRunId: id, status: { in: [...CLAIMABLE_STATUSES] } },
        data: { status: 'CANCELLED', statusReason: 'parent run cancelled', finishedAt: now },
      });
      publishRun(this.resources, queued);
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
