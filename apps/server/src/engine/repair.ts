// Repairs what a crash between two steps can leave behind, while other workers keep running: an enabled scheduled
// job without a next slot (restored from a backup, say), which the slot clock would never see. Rare, and it would
// otherwise wait for a restart; a periodic pass puts it back. (A queued run needs no repair: its row is its place in
// the queue, and every worker looks at each poll.)
import type { Occurrences } from './occurrences.js';
import type { EngineResources } from './resources.js';

export class Repairer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly resources: Pick<EngineResources, 'logger'>,
    private readonly occurrences: Pick<Occurrences, 'restoreNextSlots'>,
    private readonly options: { everyMs: number },
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
        const restored = await this.occurrences.restoreNextSlots();
        if (restored > 0) this.resources.logger.warn(`repair: ${restored} job(s) given back a next slot`);
      } catch (error) {
        this.resources.logger.warn(`repair: ${(error as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
