// A run's log: lines get consecutive sequence numbers, are announced to this process's subscribers at once and
// stored in batches. The bus holds announced lines until they are stored, so a subscriber that reads "stored after
// N" (and the bus's unstored lines) and then listens sees no gap and no duplicate; other processes get lines only
// once they are stored. A line is always announced before it is stored.
// Announcements are spaced announceEveryMs apart at most, so a chatty run is one event per burst for its
// subscribers, not one per line. Group commit: a line waits at most flushEveryMs for others to join it; one write is in flight at a time, and the
// lines written meanwhile go together in the next one — one INSERT and one bus event per batch, so a chatty action
// costs tens of writes a second however many lines it logs, and a quiet one's line is out within flushEveryMs.
// Stored with one statement per batch (db/sql/run-log-lines/insert.ts), shared by the runs whose batches are written
// at the same moment (group commit again: a run that logs two lines and ends is one statement per group of runs,
// not one per run; bench/throughput.ts). One run's batch that cannot be stored loses only its own lines.
// Bounded: long messages and data are cut, and past maxLines one notice replaces the rest. NUL characters, which
// PostgreSQL's text and jsonb refuse (and would lose the whole batch), become U+FFFD.
import type { LogLevel } from '../db/prisma.js';
import type { SqlClient } from '../db/sql/client.js';
import { insertLogLines, type LogLineRow } from '../db/sql/run-log-lines/insert.js';
import { eachAloneOnFailure, GroupCommit } from '../lib/group-commit.js';
import type { RealtimeBus, RunLogEvent } from '../realtime/bus.js';

export const LOG_LIMITS = {
  messageChars: 8_192,
  dataChars: 16_384,
  linesPerRun: 100_000,
  /** Lines that start a write at once; also the most one write carries. */
  batchLines: 200,
  /** How long a line waits for others before it is written. */
  flushEveryMs: 10,
  /** The least time between two announcements of a run's lines to this process's subscribers. */
  announceEveryMs: 5,
} as const;

interface PendingLine {
  /** The line as subscribers get it: one object, announced and then sent to other processes. */
  event: RunLogEvent;
  /** `data` as JSON text, as it is stored; null for none. */
  json: string | null;
}

export class RunLog {
  private sequence: number;
  private pending: PendingLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The write loop, while one runs: it takes what is pending until nothing is. */
  private writing: Promise<void> | null = null;
  private truncated = false;
  /** Lines not yet announced to this process's subscribers. */
  private unannounced: RunLogEvent[] = [];
  private announceTimer: NodeJS.Timeout | null = null;
  private lastAnnouncedAt = 0;

  constructor(
    /** Plain SQL on the pool: one write per batch, Prisma's per-statement cost saved on a chatty run's path. */
    private readonly pool: SqlClient,
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

  /** The OpenTelemetry trace of the attempt writing, when tracing is on: every line written after it is set carries it. */
  traceId: string | null = null;

  write(level: LogLevel, message: unknown, data?: unknown): void {
    if (this.truncated) return;
    if (this.sequence >= LOG_LIMITS.linesPerRun) {
      this.truncated = true;
      this.push('WARN', `log truncated: more than ${LOG_LIMITS.linesPerRun} lines; later lines were dropped`, null);
      return;
    }
    this.push(level, clip(withoutNul(String(message)), LOG_LIMITS.messageChars), dataJson(data));
  }

  private push(level: LogLevel, message: string, json: string | null): void {
    this.sequence += 1;
    const data: unknown = json === null ? null : JSON.parse(json);
    const event: RunLogEvent = { runId: this.runId, sequence: this.sequence, time: new Date(), level, message, data, traceId: this.traceId };
    this.pending.push({ event, json });
    this.unannounced.push(event);
    this.announceTimer ??= setTimeout(() => this.announce(), Math.max(0, this.lastAnnouncedAt + LOG_LIMITS.announceEveryMs - performance.now()));
    if (this.pending.length >= LOG_LIMITS.batchLines) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), LOG_LIMITS.flushEveryMs);
  }

  /** Stores what is pending (after earlier writes, in order) and publishes it; resolves when all is out. Never throws. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.writing ??= this.writeAll().finally(() => {
      this.writing = null;
    });
    // A line that came after the loop's last look is not in it: go again until nothing is pending.
    return this.writing.then(() => (this.pending.length > 0 ? this.flush() : undefined));
  }

  /** Hands the lines not yet announced to this process's subscribers, in one event. */
  private announce(): void {
    if (this.announceTimer) {
      clearTimeout(this.announceTimer);
      this.announceTimer = null;
    }
    if (this.unannounced.length === 0) return;
    this.lastAnnouncedAt = performance.now();
    this.bus.announceLogLines({ runId: this.runId, lines: this.unannounced.splice(0) });
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, LOG_LIMITS.batchLines);
      this.announce();
      const settled = { runId: this.runId, lines: batch.map((line) => line.event) };
      try {
        await lineWriter(this.pool).add(
          batch.map(({ event, json }) => ({
            runId: this.runId, sequence: event.sequence, time: event.time, level: event.level, message: event.message, data: json, traceId: this.traceId,
          })),
        );
        this.bus.logLinesSettled(settled, true);
      } catch {
        // A log that cannot be stored must not fail the run; the lines are lost, the run's outcome is not.
        this.bus.logLinesSettled(settled, false);
      }
    }
  }
}

/** Runs' batches written together: at most this many runs' batches (each up to batchLines lines) per statement. */
const RUNS_PER_WRITE = 50;
const writers = new WeakMap<SqlClient, GroupCommit<LogLineRow[]>>();

/** The one group writer of a client, shared by every run log on it. */
function lineWriter(client: SqlClient): GroupCommit<LogLineRow[]> {
  let writer = writers.get(client);
  if (!writer) {
    writer = new GroupCommit<LogLineRow[]>(
      (batches) =>
        eachAloneOnFailure(batches, async (group) => {
          await insertLogLines(client, group.flat());
          return group.map(() => undefined);
        }),
      RUNS_PER_WRITE,
    );
    writers.set(client, writer);
  }
  return writer;
}

const withoutNul = (text: string) => (text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Structured data as JSON text, cut to size; unserialisable data becomes a note instead of an error. */
function dataJson(data: unknown): string | null {
  if (data === undefined || data === null) return null;
  const json = safeJson(data);
  if (json === undefined) return JSON.stringify({ note: 'data could not be serialised to JSON' });
  // In JSON text a NUL can only be the escape \u0000 (a backslash before it would make it "\\u0000", left alone).
  const clean = json.includes('\\u0000') ? json.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd') : json;
  if (clean.length > LOG_LIMITS.dataChars) return JSON.stringify({ note: `data cut: ${clean.length} characters is over the limit`, preview: clean.slice(0, 1000) });
  return clean;
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
