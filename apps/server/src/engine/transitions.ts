// What each run status means and where it may go, written once. Every part of the engine that changes a run's
// status asks this table ("may A become B?", "which statuses may become B?" for a statement's WHERE clause), and
// every part that decides on a retry asks `shouldRetry`: the executor for top-level runs and per-user children, and
// the sweeper, whose SQL takes its parameters from here.
import type { RunStatus } from '../db/prisma.js';

/** Every status, in the schema's order. */
export const RUN_STATUSES = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  'SKIPPED',
] as const satisfies readonly RunStatus[];

export const TERMINAL_STATUSES = [
  'SUCCEEDED',
  'PARTIALLY_SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'INTERRUPTED',
  'SKIPPED',
] as const satisfies readonly RunStatus[];

/** Not over yet: waiting, executing, or executing with a cancel request. */
export const ACTIVE_STATUSES = ['QUEUED', 'RUNNING', 'CANCELLING'] as const satisfies readonly RunStatus[];

/** Ended without doing what it should (what a job's run counts show as "failed"). */
export const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'INTERRUPTED'] as const satisfies readonly RunStatus[];

/**
 * The statuses a run is created in: queued, or skipped at once (misfire or overlap policy, a follow-up of a disabled
 * job), or failed at once (a follow-up whose args mapping found nothing, or past the chain depth limit).
 */
export const INITIAL_STATUSES = ['QUEUED', 'SKIPPED', 'FAILED'] as const satisfies readonly RunStatus[];

/**
 * The allowed transitions. A terminal status goes nowhere, with one exception: a per-user child interrupted with
 * its parent's lost worker is queued again when the parent runs again (as are its running or cancelling siblings).
 * A cancel request wins over every ending but success: CANCELLING ends cancelled, or succeeded.
 */
export const TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  // Claimed; cancelled before it started; interrupted with its parent's lost worker (per-user children).
  QUEUED: ['RUNNING', 'CANCELLED', 'INTERRUPTED'],
  // Any ending; back to the queue for another attempt (retry, overlap wait, lost worker); a cancel request.
  RUNNING: ['QUEUED', 'CANCELLING', 'SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED', 'SKIPPED'],
  CANCELLING: ['CANCELLED', 'SUCCEEDED', 'QUEUED'],
  INTERRUPTED: ['QUEUED'],
  SUCCEEDED: [],
  PARTIALLY_SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
  TIMED_OUT: [],
  SKIPPED: [],
};

export function mayTransition(from: RunStatus, to: RunStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const sources = new Map<RunStatus, RunStatus[]>(
  RUN_STATUSES.map((to) => [to, RUN_STATUSES.filter((from) => mayTransition(from, to))]),
);

/** The statuses that may become `to`: what a conditional UPDATE's `status = ANY(...)` lists. */
export function statusesThatMayBecome(to: RunStatus): readonly RunStatus[] {
  return sources.get(to)!;
}

/** Claimable: may become RUNNING. */
export const CLAIMABLE_STATUSES = statusesThatMayBecome('RUNNING');
/** An attempt that may still record its ending: may become SUCCEEDED. */
export const FINISHABLE_STATUSES = statusesThatMayBecome('SUCCEEDED');
/** Statuses a per-user child is queued again from when its parent runs again (the parent was lost). */
export const RESTARTABLE_CHILD_STATUSES = statusesThatMayBecome('QUEUED');

export function isTerminal(status: RunStatus): boolean {
  return (TERMINAL_STATUSES as readonly RunStatus[]).includes(status);
}

/** A user's cancel: a run not yet claimed is cancelled at once, a running one is asked to stop (CANCELLING). */
export function canCancel(status: RunStatus): boolean {
  return (mayTransition(status, 'RUNNING') && mayTransition(status, 'CANCELLED')) || mayTransition(status, 'CANCELLING');
}

/** A finished run that did not fully succeed can be started again as a new run. */
export function canRetry(status: RunStatus): boolean {
  return isTerminal(status) && status !== 'SUCCEEDED' && status !== 'SKIPPED';
}

/** Counts toward "users ok" of a per-user parent. */
export function isSuccess(status: RunStatus): boolean {
  return status === 'SUCCEEDED';
}

/** Endings that another attempt may fix: a failure, a timeout, a lost worker. Never a cancel, never bad args. */
export const RETRYABLE_OUTCOMES = ['FAILED', 'TIMED_OUT', 'INTERRUPTED'] as const satisfies readonly RunStatus[];

/** How an attempt ended, as far as the retry decision goes. `permanent`: another attempt cannot help (bad args). */
export interface AttemptEnding {
  status: RunStatus;
  permanent?: boolean;
}

/** The retry decision, for every attempt of every run: a retryable ending with attempts left goes again. */
export function shouldRetry(ending: AttemptEnding, run: { attempt: number; maxAttempts: number }): boolean {
  return !ending.permanent && (RETRYABLE_OUTCOMES as readonly RunStatus[]).includes(ending.status) && run.attempt < run.maxAttempts;
}

export interface ChildCounts {
  total: number;
  succeeded: number;
  failed: number;
}

/** Children counted by status: ok when succeeded, not ok when ended otherwise; active children count in total only. */
export function countChildren(groups: Iterable<{ status: RunStatus; count: number }>): ChildCounts {
  const counts: ChildCounts = { total: 0, succeeded: 0, failed: 0 };
  for (const { status, count } of groups) {
    counts.total += count;
    if (isSuccess(status)) counts.succeeded += count;
    else if (isTerminal(status)) counts.failed += count;
  }
  return counts;
}

/** A per-user parent's outcome from its children: all ok → succeeded, some → partially, none → failed. */
export function rollUp(counts: ChildCounts): { status: RunStatus; message: string } {
  const message = `${counts.succeeded}/${counts.total} users ok`;
  if (counts.total === 0) return { status: 'SKIPPED', message: 'no target users' };
  if (counts.succeeded === counts.total) return { status: 'SUCCEEDED', message };
  if (counts.succeeded === 0) return { status: 'FAILED', message };
  return { status: 'PARTIALLY_SUCCEEDED', message };
}
