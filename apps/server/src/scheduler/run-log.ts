// A run's log: lines get consecutive sequence numbers, are stored in batches, and are published only after they
// are stored — so a subscriber that reads "stored after N" and then listens sees no gap and no duplicate.
// Bounded: long messages and data are cut, and past maxLines one notice replaces the rest.
import type { LogLevel, Prisma, PrismaClient } from '../db/prisma.js';
import type { RealtimeBus } from '../realtime/bus.js';

export const LOG_LIMITS = {
  messageChars: 8_192,
  dataChars: 16_384,
  linesPerRun: 100_000,
  batchLines: 200,
  flushEveryMs: 25,
} as const;

interface PendingLine {
  runId: string;
  sequence: number;
  time: Date;
  level: LogLevel;
  message: string;
  data: Prisma.InputJsonValue | undefined;
}

export class RunLog {
  private sequence: number;
  private pending: PendingLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private truncated = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: RealtimeBus,
    readonly runId: string,
    /** The last sequence already stored for this run (a retried run continues its log). */
    lastSequence: number,
  ) {
    this.sequence = lastSequence;
  }

  get lastSequence(): number {
    return this.sequence;
  }

  write(level: LogLevel, message: unknown, data?: unknown): void {
    if (this.truncated) return;
    if (this.sequence >= LOG_LIMITS.linesPerRun) {
      this.truncated = true;
      this.push('WARN', `log truncated: more than ${LOG_LIMITS.linesPerRun} lines; later lines were dropped`, undefined);
      return;
    }
    this.push(level, clip(String(message), LOG_LIMITS.messageChars), safeData(data));
  }

  private push(level: LogLevel, message: string, data: Prisma.InputJsonValue | undefined): void {
    this.sequence += 1;
    this.pending.push({ runId: this.runId, sequence: this.sequence, time: new Date(), level, message, data });
    if (this.pending.length >= LOG_LIMITS.batchLines) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), LOG_LIMITS.flushEveryMs);
  }

  /** Stores what is pending (in order with earlier flushes) and publishes it. Never throws. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.prisma.runLogLine.createMany({
          data: batch.map((line) => ({ ...line, data: line.data ?? undefined })),
          skipDuplicates: true,
        });
        for (const line of batch) this.bus.publishLogLine({ ...line, data: line.data ?? null });
      } catch {
        // A log that cannot be stored must not fail the run; the lines are lost, the run's outcome is not.
      }
    });
    return this.flushing;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Structured data as JSON, cut to size; unserialisable data becomes a note instead of an error. */
export function safeData(data: unknown): Prisma.InputJsonValue | undefined {
  if (data === undefined || data === null) return undefined;
  const json = safeJson(data);
  if (json === undefined) return { note: 'data could not be serialised to JSON' };
  if (json.length > LOG_LIMITS.dataChars) return { note: `data cut: ${json.length} characters is over the limit`, preview: json.slice(0, 1000) };
  return JSON.parse(json) as Prisma.InputJsonValue;
}

/** JSON.stringify that survives cycles, BigInt and throwing getters. */
export function safeJson(value: unknown): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[circular]';
        seen.add(item);
      }
      return item;
    });
  } catch {
    return undefined;
  }
}
