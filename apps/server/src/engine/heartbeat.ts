// Keeps this worker's runs alive: one query a beat updates heartbeat_at of every run it has claimed or is
// executing, and brings back cancel requests made in other processes (a run found CANCELLING is aborted here).
import { beatRuns } from '../db/sql/runs/heartbeat.js';
import type { EngineResources } from './resources.js';
import { CancelReason } from './outcome.js';

export class Heartbeat {
  /** Runs (and children) this worker is executing, by id: their abort controllers. */
  private readonly active = new Map<string, AbortController>();
  /**
   * Runs this worker has claimed and not yet finished. The heartbeat covers them from the claim on: the queries
   * before the action starts can take longer than stale_after_ms on a busy database, and a run without beats in
   * that time would be swept as lost while it is about to run.
   */
  private readonly claimed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly resources: Pick<EngineResources, 'sql' | 'logger'>,
    private readonly everyMs: number,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  get activeCount(): number {
    return this.active.size;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.beat(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  claim(runId: string): void {
    this.claimed.add(runId);
  }

  release(runId: string): void {
    this.claimed.delete(runId);
  }

  /** An attempt under way: the heartbeat covers it and a cancel request aborts its controller. */
  executing(runId: string, controller: AbortController): void {
    this.active.set(runId, controller);
  }

  done(runId: string): void {
    this.active.delete(runId);
  }

  /** Asks a run executing in this process to stop (other processes learn of cancels from the heartbeat). */
  abort(runId: string, reason: Error = new CancelReason()): boolean {
    const controller = this.active.get(runId);
    controller?.abort(reason);
    return Boolean(controller);
  }

  private async beat(): Promise<void> {
    const ids = [...new Set([...this.claimed, ...this.active.keys()])];
    if (ids.length === 0) return;
    try {
      const rows = await beatRuns(this.resources.sql, ids, new Date());
      for (const row of rows) if (row.status === 'CANCELLING') this.abort(row.id, new CancelReason('cancelled while running'));
    } catch (error) {
      this.resources.logger.warn(`heartbeat failed: ${(error as Error).message}`);
    }
  }
}
