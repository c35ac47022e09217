// What an action sees while it runs. The engine and the test kit both build it with createActionContext, so the
// rules below (what a log line is, what progress accepts) are written once.
import type { SundialData } from './sundial-data.js';
import { actionTrace, type ActionTrace } from './trace.js';

/** A person a job targets. `attributes` is free-form: whatever the admin stored (a chat id, a locale, …). */
export interface ActionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export type RunTrigger = 'SCHEDULE' | 'MANUAL' | 'API' | 'RETRY';

/** Which run this execution is. */
export interface RunInfo {
  readonly id: string;
  readonly jobId: string;
  /** The per-user parent run when this execution is one user's child run, else null. */
  readonly parentRunId: string | null;
  /** 1 for the first try; 2 and up for retries (and for a run resumed after its worker was lost). */
  readonly attempt: number;
  readonly trigger: RunTrigger;
  /** When the run was due: its slot for a scheduled run (a per-user child shares its parent's), else when it was asked for. */
  readonly scheduledFor: Date;
}

export type ActionLogLevel = 'debug' | 'info' | 'warn' | 'error';

export const ACTION_LOG_LEVELS: readonly ActionLogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Levelled, structured log lines; they are stored with the run and shown live. */
export interface ActionLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface ActionLogLine {
  level: ActionLogLevel;
  message: string;
  /** Present only when the action passed some. */
  data?: Record<string, unknown>;
  at: Date;
}

export interface ActionContext<Args = Record<string, unknown>> {
  /** The run's arguments, validated against the action's schema, defaults applied. */
  readonly args: Args;
  /** The target user when the job runs per user; null otherwise. */
  readonly user: ActionUser | null;
  /** Every user the job targets (per user or not). Empty when the job targets nobody. */
  readonly users: readonly ActionUser[];
  readonly log: ActionLogger;
  /** Aborted when the run is cancelled or times out. Check it between steps, pass it to fetch(). */
  readonly signal: AbortSignal;
  /** Start of the job's last succeeded run, or the override given at run time; null the first time. */
  readonly since: Date | null;
  readonly run: RunInfo;
  /** The server's own data, in the product's words (delete finished runs, deliver to inboxes); never its tables. */
  readonly sundial: SundialData;
  /** Reports how far the run is, e.g. progress(300, 1000). Whole numbers, 0 ≤ done ≤ total. */
  progress(done: number, total: number): void;
  /** Child spans of the run's attempt and the headers that carry its trace on (OpenTelemetry; no-ops when off). */
  readonly trace: ActionTrace;
}

export interface ContextParts<Args> {
  args: Args;
  user: ActionUser | null;
  users: readonly ActionUser[];
  signal: AbortSignal;
  since: Date | null;
  run: RunInfo;
  sundial: SundialData;
  /** Receives every log line, in order. */
  writeLog(line: ActionLogLine): void;
  /** Receives every valid progress report. */
  writeProgress(done: number, total: number): void;
}

export function createActionContext<Args>(parts: ContextParts<Args>): ActionContext<Args> {
  const logAt =
    (level: ActionLogLevel) =>
    (message: string, data?: Record<string, unknown>): void => {
      // Plain JavaScript callers may pass anything; a log line always has a string message.
      const line: ActionLogLine = { level, message: typeof message === 'string' ? message : String(message), at: new Date() };
      if (data !== undefined && data !== null) {
        line.data = typeof data === 'object' && !Array.isArray(data) ? data : { value: data };
      }
      parts.writeLog(line);
    };
  return Object.freeze({
    args: parts.args,
    user: parts.user,
    users: parts.users,
    log: Object.freeze({ debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') }),
    signal: parts.signal,
    since: parts.since,
    run: parts.run,
    sundial: parts.sundial,
    trace: actionTrace,
    progress(done: number, total: number) {
      if (!Number.isInteger(done) || !Number.isInteger(total) || done < 0 || total < 0 || done > total) {
        throw new RangeError(`progress(done, total) needs whole numbers with 0 ≤ done ≤ total; got (${done}, ${total})`);
      }
      parts.writeProgress(done, total);
    },
  });
}
