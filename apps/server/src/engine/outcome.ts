// Turning what an action did into what a run records: status, error, output (size-capped, always JSON).
import type { Prisma, RunStatus } from '../db/prisma.js';
import { safeJson } from './run-log.js';

export const OUTPUT_MAX_CHARS = 64 * 1024;

export class TimeoutReason extends Error {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${formatMs(timeoutMs)}`);
  }
}

export class CancelReason extends Error {
  override name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

export interface Outcome {
  status: Extract<RunStatus, 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'>;
  output?: Prisma.InputJsonValue | null;
  errorMessage?: string;
  errorStack?: string;
  /** Another attempt cannot help (the action is missing, the args no longer fit): no retry whatever is left. */
  permanent?: boolean;
}

export function successOutcome(value: unknown): Outcome {
  return { status: 'SUCCEEDED', output: capOutput(value) };
}

export function failureOutcome(error: unknown, signal: AbortSignal): Outcome {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof TimeoutReason) return { status: 'TIMED_OUT', errorMessage: reason.message };
    return { status: 'CANCELLED', errorMessage: reason instanceof Error ? reason.message : 'cancelled' };
  }
  if (error instanceof Error) {
    return { status: 'FAILED', errorMessage: error.message || error.name, errorStack: error.stack?.slice(0, 16_384) };
  }
  return { status: 'FAILED', errorMessage: `the action threw a non-error value: ${String(safeJson(error) ?? error).slice(0, 500)}` };
}

/** The action's return value as JSON, or a note saying why it could not be kept. */
export function capOutput(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  const json = safeJson(value);
  if (json === undefined) return { note: 'the output could not be serialised to JSON' };
  if (json.length > OUTPUT_MAX_CHARS) {
    return { note: `output cut: ${json.length} characters is over the ${OUTPUT_MAX_CHARS} limit`, preview: json.slice(0, 2000) };
  }
  return JSON.parse(json) as Prisma.InputJsonValue;
}

/**
 * Settles with the action, or rejects as soon as the signal aborts: an action that ignores its signal (hangs)
 * cannot hold the worker; its promise is abandoned.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Exponential backoff with full jitter between half and one and a half of the nominal delay. */
export function retryDelayMs(baseMs: number, attempt: number, random = Math.random): number {
  const nominal = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(24 * 3600 * 1000, Math.round(nominal * (0.5 + random())));
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s` : `${Math.round(ms / 60_000)} min`;
}
