// The slot clock: how a schedule's slot (or the end of a pause) comes due in a worker. Each worker executing runs
// reads the timers due soon from the jobs table (the truth: a job's next slot, or the end of its pause), keeps them
// in memory and, at each one's time, fires the jobs due together in one transaction (engine/occurrences.ts), which
// locks them with SKIP LOCKED: two workers never fire one slot, and neither waits for the other.
//
// Who fires a slot first is placed among the live workers like a run (engine/share.ts, by their free slots): the
// chosen worker fires it at its time and starts its run itself; every other worker looks at it `takeoverMs` later
// and fires it only if it is still due (the chosen worker stopped, or is too busy). So workers share the firings and
// their runs without a round trip between them, and a lost worker's slots are late by takeoverMs, not by its lock.
//
// The clock reads ahead (2 × pollMs) every pollMs, and again soon after any job changes (the bus's job events, from
// this process and, through the transport, from the others), so an edit that brings a slot closer is heard.
import { readDueTimers } from '../db/sql/jobs/due.js';
import type { FiredJob } from '../db/sql/jobs/fire.js';
import type { Occurrences } from './occurrences.js';
import { timerAt } from './occurrences.js';
import type { EngineResources } from './resources.js';
import type { WorkShare } from './share.js';

export interface SlotClockOptions {
  /** How often the clock reads the timers due soon (scheduler.process_every_ms); it reads twice as far ahead. */
  pollMs: number;
  /** A slot another worker fires first is fired here this much later if still due. */
  takeoverMs: number;
}

/** Jobs fired in one transaction at most. */
const BATCH_SIZE = 20;
/** Firing transactions in flight at once in one worker. */
const MAX_FIRINGS = 4;
/** Timers read at once: more due than this (a long outage) are read again as the first ones fire. */
const READ_LIMIT = 2000;
/** Job events re-read the timers at most this often. */
const REREAD_AFTER_CHANGE_MS = 250;
/** A Node timer may wake a millisecond early; a slot this close counts as due. */
const DUE_TOLERANCE_MS = 20;

interface Planned {
  jobId: string;
  /** The slot or the end of the pause. */
  at: Date;
  /** When this worker fires it: `at`, or `at + takeoverMs` when another worker fires it first. */
  fireAt: number;
}

export class SlotClock {
  private planned = new Map<string, Planned>();
  /** Jobs in a firing transaction now: a read meanwhile still shows their old timer. */
  private readonly firing = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private wakeTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private rereadTimer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private rereadWanted = false;
  private lastRead = 0;
  private unlisten: (() => void) | null = null;
  private running = false;

  constructor(
    private readonly resources: Pick<EngineResources, 'sql' | 'bus' | 'logger'>,
    private readonly occurrences: Occurrences,
    private readonly share: WorkShare,
    private readonly options: SlotClockOptions,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.resources.bus.listen('jobsFeed', () => this.rereadSoon());
    this.pollTimer = setInterval(() => void this.read(), this.options.pollMs);
    this.pollTimer.unref();
    await this.read();
  }

  /** Fires nothing more; waits for the firings in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.unlisten?.();
    this.unlisten = null;
    for (const timer of [this.wakeTimer, this.rereadTimer]) if (timer) clearTimeout(timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.wakeTimer = this.rereadTimer = this.pollTimer = null;
    await this.reading;
    await Promise.all(this.inFlight);
  }

  /** Reads the timers due soon again, now or once REREAD_AFTER_CHANGE_MS has passed since the last read. */
  private rereadSoon(): void {
    if (!this.running || this.rereadTimer) return;
    const wait = Math.max(0, this.lastRead + REREAD_AFTER_CHANGE_MS - Date.now());
    this.rereadTimer = setTimeout(() => {
      this.rereadTimer = null;
      void this.read();
    }, wait);
    this.rereadTimer.unref();
  }

  /** Replaces the plan with the timers due within the look-ahead. One read at a time; one more if asked meanwhile. */
  private read(): Promise<void> {
    if (this.reading) {
      this.rereadWanted = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.rereadWanted = false;
          this.lastRead = Date.now();
          const timers = await readDueTimers(this.resources.sql, { until: new Date(this.lastRead + 2 * this.options.pollMs), limit: READ_LIMIT });
          const planned = new Map<string, Planned>();
          for (const { jobId, at } of timers) {
            if (!this.firing.has(jobId)) planned.set(jobId, this.plan(jobId, at));
          }
          this.planned = planned;
        } while (this.rereadWanted && this.running);
      } catch (error) {
        this.resources.logger.warn(`scheduler: reading the timers due failed, trying again at the next poll: ${(error as Error).message}`);
      } finally {
        this.reading = null;
      }
      this.arm();
    })();
    return this.reading;
  }

  private plan(jobId: string, at: Date): Planned {
    const first = this.share.firesFirst(`${jobId}@${at.toISOString()}`);
    return { jobId, at, fireAt: at.getTime() + (first ? 0 : this.options.takeoverMs) };
  }

  /** One Node timer, at the earliest planned firing. */
  private arm(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (!this.running || this.planned.size === 0) return;
    let next = Infinity;
    for (const entry of this.planned.values()) next = Math.min(next, entry.fireAt);
    this.wakeTimer = setTimeout(() => this.tick(), Math.max(0, next - Date.now()));
    this.wakeTimer.unref();
  }

  /** Fires what is due, in batches, as many batches at once as MAX_FIRINGS allows; the rest waits for one to end. */
  private tick(): void {
    this.wakeTimer = null;
    if (!this.running) return;
    const now = Date.now();
    const due = [...this.planned.values()].filter((entry) => entry.fireAt <= now + DUE_TOLERANCE_MS).sort((a, b) => a.fireAt - b.fireAt);
    while (due.length > 0 && this.inFlight.size < MAX_FIRINGS) {
      const batch = due.splice(0, BATCH_SIZE);
      for (const entry of batch) {
        this.planned.delete(entry.jobId);
        this.firing.add(entry.jobId);
      }
      const firing = this.fire(batch.map((entry) => entry.jobId));
      this.inFlight.add(firing);
      void firing.finally(() => {
        this.inFlight.delete(firing);
        this.arm();
      });
    }
    if (due.length === 0) this.arm();
  }

  private async fire(jobIds: string[]): Promise<void> {
    try {
      const firings = await this.fireBatch(jobIds);
      // A job whose next timer falls within the look-ahead is planned at once, not at the next read.
      const horizon = Date.now() + 2 * this.options.pollMs;
      for (const job of firings) {
        const at = timerAt(job);
        if (this.running && at && at.getTime() < horizon) this.planned.set(job.id, this.plan(job.id, at));
      }
    } finally {
      for (const jobId of jobIds) this.firing.delete(jobId);
    }
  }

  /**
   * One transaction for the batch. If it fails, each job is fired in its own, so one job's failure (a broken
   * schedule, say) does not hold the others back; a job that still fails stays due and is tried at the next read.
   */
  private async fireBatch(jobIds: string[]): Promise<FiredJob[]> {
    try {
      return await this.occurrences.fireBatch(jobIds, { toleranceMs: DUE_TOLERANCE_MS });
    } catch (error) {
      if (jobIds.length === 1) {
        this.resources.logger.warn(`job ${jobIds[0]}: firing its schedule failed, trying again at the next poll: ${(error as Error).message}`);
        return [];
      }
    }
    const firings: FiredJob[] = [];
    for (const jobId of jobIds) firings.push(...(await this.fireBatch([jobId])));
    return firings;
  }
}
